"""The answers as the "Check your answers" page shows them (GOV.UK summary list rows), each
with a change link to its question on the task page. Built from the answers as typed and the
form's fields, so the page says exactly what will be sent."""
from datetime import date

from flask import url_for
from markupsafe import Markup, escape

from workflows.form_fields import Field

from .dates import long_date
from .task_form import first_input_id, for_submission, is_blank


def _date(parts: dict) -> str:
    try:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (KeyError, TypeError, ValueError):
        return " ".join(str(parts.get(p, "")) for p in ("day", "month", "year")).strip()
    return f"{day:%A} {long_date(day)}"


def shown(field: Field, value) -> Markup:
    """One answer in words: the option's text, Yes or No, a date with its weekday."""
    if is_blank(value):
        return Markup('<span class="app-not-answered">Not answered</span>')
    if field.kind == "date":
        return escape(_date(value))
    if field.kind == "boolean":
        return escape({"true": "Yes", "false": "No"}.get(str(value).lower(), str(value)))
    labels = dict(field.options)
    if field.kind == "choice":
        return escape(labels.get(value, value))
    if field.kind == "multichoice":
        return Markup("<br>").join(escape(labels.get(v, v)) for v in value)
    if field.kind == "list":
        rows = []
        for row in value:
            parts = [Markup("{}: {}").format(sub.label, shown(sub, row.get(sub.name)))
                     for sub in field.item_fields if not is_blank(row.get(sub.name))]
            rows.append(Markup("<li>{}</li>").format(Markup("; ").join(parts)))
        return Markup('<ol class="govuk-list govuk-list--number">{}</ol>').format(Markup("").join(rows))
    return Markup('<span class="app-answer-text">{}</span>').format(value)


def summary_rows(fields, answers: dict, task_id: str) -> list[dict]:
    answers = for_submission(fields, answers)
    rows = []
    for f in fields:
        if f.widget == "hidden":
            continue
        href = url_for("tasks.task", task_id=task_id, _anchor=first_input_id(f, f.name))
        rows.append({"key": {"text": f.label}, "value": {"html": shown(f, answers.get(f.name))},
                     "actions": {"items": [{"href": href, "text": "Change",
                                            "visuallyHiddenText": f.label.lower()}]}})
    return rows
