"""A record's answers as people read them: under the form's own titles and in its order,
dates as "Tuesday 5 January 2027", choices by their labels, lists of rows (actions) as
tables, and an unanswered optional question as "Not recorded"."""
from datetime import date

from markupsafe import Markup

NOT_RECORDED = "Not recorded"


def full_date(value) -> str:
    """"Tuesday 5 January 2027" from a date or an ISO string; anything else as it is."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, date):
        return f"{value:%A} {value.day} {value:%B %Y}"
    return str(value)


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def text(field, value) -> str:
    """One answer as text."""
    if _blank(value):
        return NOT_RECORDED
    if field.kind == "date":
        return full_date(value)
    if field.kind == "boolean":
        return "Yes" if value else "No"
    labels = dict(field.options)
    if field.kind == "choice":
        return labels.get(value, str(value))
    if field.kind == "multichoice":
        return "\n".join(labels.get(v, str(v)) for v in value)
    return str(value)


def blocks(form, answers: dict) -> list[dict]:
    """The answers as blocks to show in order: runs of plain answers (a summary list) and
    lists of rows (a table each)."""
    out: list[dict] = []
    for field in form.fields if form else ():
        if field.widget == "hidden":
            continue
        value = answers.get(field.name)
        if field.kind == "list":
            rows = [[text(f, (item or {}).get(f.name)) for f in field.item_fields]
                    for item in (value or []) if isinstance(item, dict)]
            out.append({"table": True, "label": field.label, "name": field.name,
                        "columns": [f.label for f in field.item_fields], "rows": rows})
            continue
        if not out or out[-1]["table"]:
            out.append({"table": False, "rows": []})
        out[-1]["rows"].append({"label": field.label, "name": field.name,
                                "text": text(field, value), "blank": _blank(value)})
    return out


def summary_rows(block: dict) -> list[dict]:
    """A block of plain answers as GOV.UK summary list rows."""
    return [{"key": {"text": r["label"]},
             "value": {"html": answer_text(r["text"]), "classes": "app-record__answer"
                       + (" app-record__answer--blank" if r["blank"] else "")}}
            for r in block["rows"]]


def answer_text(text: str) -> Markup:
    """An answer's text, its own line breaks kept (`app-answer-text`: white-space pre-line)
    inside a span, so that the summary list's indentation around it is not shown as lines."""
    return Markup('<span class="app-answer-text">{}</span>').format(text)
