"""A task's form between the browser and the engine: posted fields into the answers dict
`engine.complete_task` takes (dates as {"day","month","year"}, list rows as lists of dicts),
"Add another" and "Remove" buttons that work without JavaScript, and the engine's errors
back onto the fields they belong to.

Names in the page: a field `held_on` posts `held_on-day`, `held_on-month`, `held_on-year`; row
2 of a list `actions` posts `actions-1-owner`, and `actions-rows` says how many rows there are.
"""
import re
from datetime import date

from werkzeug.datastructures import MultiDict

from workflows.form_fields import LIST_CAP, Field

DATE_PARTS = ("day", "month", "year")
#: A draft holding the form exactly as posted, field names and all, not yet read as answers.
POSTED = "_posted"
ROW_ACTION = "row-action"
_ACTION = re.compile(r"^(add):([A-Za-z_]\w*)$|^(remove):([A-Za-z_]\w*):(\d{1,3})$")


def blank_answer(field: Field):
    if field.kind == "date":
        return dict.fromkeys(DATE_PARTS, "")
    if field.kind == "multichoice":
        return []
    if field.kind == "list":
        return []
    return ""


def initial_answers(fields) -> dict:
    """What a fresh form shows: each field's default, and one empty row for each list (or
    as many as it needs at least)."""
    answers = {}
    for f in fields:
        if f.widget == "hidden":
            answers[f.name] = "" if f.default is None else str(f.default)
        elif f.kind == "list":
            rows = max(f.min_items or 0, 1)
            answers[f.name] = [initial_answers(f.item_fields) for _ in range(rows)]
        elif f.kind == "date":
            answers[f.name] = date_parts(f.default)
        elif f.kind == "boolean" and isinstance(f.default, bool):
            answers[f.name] = "true" if f.default else "false"
        elif f.default is not None:
            answers[f.name] = list(f.default) if f.kind == "multichoice" else str(f.default)
        else:
            answers[f.name] = blank_answer(f)
    return answers


def date_parts(value) -> dict:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    return dict.fromkeys(DATE_PARTS, "")


def with_a_row_each(fields, answers: dict) -> dict:
    """A list shown with no rows has nowhere to type: give each empty list one blank row."""
    for f in fields:
        if f.kind == "list" and not answers.get(f.name):
            answers[f.name] = [initial_answers(f.item_fields)]
    return answers


def answers_from(fields, form, prefix: str = "") -> dict:
    """The posted form as answers, exactly as typed (the engine converts and checks)."""
    answers = {}
    for f in fields:
        name = prefix + f.name
        if f.widget == "hidden":
            answers[f.name] = form.get(name, "")
        elif f.kind == "list":
            count = _row_count(form.get(f"{name}-rows"), f)
            answers[f.name] = [answers_from(f.item_fields, form, f"{name}-{i}-") for i in range(count)]
        elif f.kind == "date":
            answers[f.name] = {p: form.get(f"{name}-{p}", "").strip() for p in DATE_PARTS}
        elif f.kind == "multichoice":
            answers[f.name] = form.getlist(name)
        else:
            answers[f.name] = form.get(name, "")
    return answers


def _row_count(text, field: Field) -> int:
    try:
        count = int(text or 0)
    except ValueError:
        count = 0
    return max(0, min(count, field.max_items or LIST_CAP, LIST_CAP))


def row_action(form) -> tuple | None:
    """("add", list) or ("remove", list, index) when a row button was pressed, else None."""
    match = _ACTION.match(form.get(ROW_ACTION, ""))
    if not match:
        return None
    if match.group(1):
        return ("add", match.group(2))
    return ("remove", match.group(4), int(match.group(5)))


def apply_row_action(fields, answers: dict, action: tuple) -> str | None:
    """Add or remove the row; the id of what should have focus afterwards (the new row's
    first input, or the list itself after a removal), so the user is not sent to the top."""
    field = next((f for f in fields if f.name == action[1] and f.kind == "list"), None)
    if field is None:
        return None
    rows = answers[field.name]
    if action[0] == "add" and len(rows) < min(field.max_items or LIST_CAP, LIST_CAP):
        rows.append(initial_answers(field.item_fields))
        first = field.item_fields[0] if field.item_fields else None
        if first is not None:
            return first_input_id(first, f"{field.name}-{len(rows) - 1}-{first.name}")
    elif action[0] == "remove" and 0 <= action[2] < len(rows):
        rows.pop(action[2])
    return f"{field.name}-heading"


def restored(fields, saved: dict) -> dict:
    """A draft's answers on today's form: questions the form no longer asks are dropped,
    new ones start blank, and each list keeps a row to type in. A form kept as posted (from
    an expired session: web/drafts.py) is read onto the fields first."""
    if isinstance(saved.get(POSTED), dict):
        saved = answers_from(fields, MultiDict([(k, v) for k, values in saved[POSTED].items()
                                                for v in (values if isinstance(values, list) else [values])]))
    answers = initial_answers(fields)
    for f in fields:
        if f.name in saved and isinstance(saved[f.name], type(answers[f.name])):
            answers[f.name] = saved[f.name]
    return with_a_row_each(fields, answers)


def for_submission(fields, answers: dict) -> dict:
    """Answers as the engine gets them: a list row left entirely empty is not an answer."""
    data = dict(answers)
    for f in fields:
        if f.kind == "list":
            data[f.name] = [row for row in answers.get(f.name, []) if not is_blank(row)]
    return data


def is_blank(value) -> bool:
    if isinstance(value, dict):
        return all(is_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(is_blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def messages(errors) -> list[str]:
    """The messages of one field (marshmallow gives a list; a list field may give a dict)."""
    if isinstance(errors, list):
        return [str(m) for m in errors if not isinstance(m, (dict, list))]
    if isinstance(errors, str):
        return [errors]
    return []


def row_errors(errors, index: int) -> dict:
    if isinstance(errors, dict):
        return errors.get(index) or errors.get(str(index)) or {}
    return {}


def first_input_id(field: Field, field_id: str, message: str = "") -> str:
    """Where an error summary link takes the user: the first input of the field, or the
    date part the message names."""
    if field.kind == "date":
        part = next((p for p in DATE_PARTS if f"include a {p}" in message), "day")
        return f"{field_id}-{part}"
    if field.kind == "list":
        first = field.item_fields[0] if field.item_fields else None
        return first_input_id(first, f"{field_id}-0-{first.name}") if first else field_id
    return field_id


def error_summary(fields, errors: dict, item_title=lambda f: "Row", prefix: str = "") -> list[dict]:
    """GOV.UK error summary items in the order of the form, each linking to its field."""
    items = []
    for f in fields:
        if f.name not in errors:
            continue
        field_id = prefix + f.name
        for message in messages(errors[f.name]):
            items.append({"text": message, "href": "#" + first_input_id(f, field_id, message)})
        if f.kind == "list" and isinstance(errors[f.name], dict):
            for index in sorted(k for k in errors[f.name] if isinstance(k, int)):
                # A list whose rows have no name of their own is named in the summary: a form
                # may have several lists, and "Row 1" alone does not say which.
                named = item_title(f)
                title = f"{named} {index + 1}" if named != "Row" else f"{f.label}, row {index + 1}"
                for item in error_summary(f.item_fields, row_errors(errors[f.name], index),
                                          prefix=f"{field_id}-{index}-"):
                    items.append({"text": f"{title}: {item['text']}", "href": item["href"]})
    return items
