"""A form definition's fields as GOV.UK Frontend macro parameters, with what was typed and
the errors next to each field; the template only picks the macro.

Kinds to components: text -> input (a textarea when it may hold more than a line, over
LONG_TEXT characters), textarea -> textarea, choice -> radios (or a select for
many options), multichoice -> checkboxes, boolean -> yes/no radios, date -> date input,
number -> input with a numeric keyboard, list of objects -> a fieldset per row with
"Remove" and "Add another" buttons.
"""
from workflows.form_fields import LONG_TEXT, Field, is_multiline  # noqa: F401 (LONG_TEXT: the docstring's)
from workflows.forms import FormDefinition

from .task_form import DATE_PARTS, ROW_ACTION, messages, row_errors

_NUMBER = {"number": "decimal", "integer": "numeric"}


def item_title(form: FormDefinition, field: Field) -> str:
    """What one row of a list is called ("Action"), from the items' title in the JSON form."""
    prop = (form.schema_json.get("properties") or {}).get(field.name) or {}
    title = ((prop.get("items") or {}).get("title") or "").strip()
    return title or "Row"


def widgets(form: FormDefinition, answers: dict, errors: dict) -> list[dict]:
    return [widget(f, answers.get(f.name), errors.get(f.name), form=form) for f in form.fields]


def widget(field: Field, value, errors, prefix: str = "", form: FormDefinition | None = None) -> dict:
    field_id = prefix + field.name
    texts = messages(errors)
    error = {"text": " ".join(texts)} if texts else None
    label = field.label if field.required else f"{field.label} (optional)"
    hint = {"text": field.hint} if field.hint else None
    legend = {"text": label, "classes": "govuk-fieldset__legend--s"}
    if field.widget == "hidden":
        return {"macro": "hidden", "name": field_id, "value": value or ""}
    if field.kind == "list":
        return _list(field, value or [], errors, field_id, label, hint, error, form)
    if field.kind == "date":
        return {"macro": "dateInput", "params": _date(field_id, legend, hint, error, value or {}, texts)}
    if field.kind == "boolean":
        items = [{"value": "true", "text": "Yes"}, {"value": "false", "text": "No"}]
        return {"macro": "radios", "params": _choices(field_id, legend, hint, error, items, [str(value or "").lower()],
                                                       classes="govuk-radios--inline")}
    if field.kind == "choice":
        items = [{"value": v, "text": t} for v, t in field.options]
        if field.widget == "select":
            items = [{"value": "", "text": "Choose an option"}, *items]
            for item in items:
                item["selected"] = item["value"] == (value or "")
            return {"macro": "select", "params": {"id": field_id, "name": field_id, "label": _label(label),
                                                  "hint": hint, "errorMessage": error, "items": items}}
        return {"macro": "radios", "params": _choices(field_id, legend, hint, error, items, [value or ""])}
    if field.kind == "multichoice":
        items = [{"value": v, "text": t} for v, t in field.options]
        params = _choices(field_id, legend, hint, error, items, list(value or []))
        return {"macro": "checkboxes", "params": params}
    params = {"id": field_id, "name": field_id, "label": _label(label), "hint": hint,
              "errorMessage": error, "value": value or ""}
    if is_multiline(field):
        return {"macro": "textarea", "params": {**params, "rows": 5}}
    if field.kind in _NUMBER:
        params.update(inputmode=_NUMBER[field.kind], spellcheck=False, classes="govuk-input--width-10")
    return {"macro": "input", "params": params}


def _label(text: str) -> dict:
    return {"text": text, "classes": "govuk-label--s"}


def _choices(field_id, legend, hint, error, items, chosen, classes="") -> dict:
    for item in items:
        item["checked"] = item["value"] in chosen
    return {"idPrefix": field_id, "name": field_id, "fieldset": {"legend": legend}, "hint": hint,
            "errorMessage": error, "items": items, "classes": classes}


def _date(field_id, legend, hint, error, value: dict, texts: list[str]) -> dict:
    named = {p for p in DATE_PARTS for t in texts if f"include a {p}" in t}
    wrong = named or (set(DATE_PARTS) if texts else set())
    widths = {"day": 2, "month": 2, "year": 4}
    items = [{"name": p, "label": p.capitalize(), "value": str(value.get(p) or ""),
              "classes": f"govuk-input--width-{widths[p]}" + (" govuk-input--error" if p in wrong else "")}
             for p in DATE_PARTS]
    return {"id": field_id, "namePrefix": field_id, "fieldset": {"legend": legend},
            "hint": hint or {"text": "For example, 27 3 2026"}, "errorMessage": error, "items": items}


def _list(field, rows, errors, field_id, label, hint, error, form) -> dict:
    title = item_title(form, field) if form else "Row"
    shown = rows or []
    return {
        "macro": "list", "id": field_id, "legend": label, "hint": field.hint, "error": error,
        "count_name": f"{field_id}-rows", "count": len(shown), "action_name": ROW_ACTION,
        "add_value": f"add:{field.name}", "add_text": f"Add another {title.lower()}",
        "can_add": len(shown) < (field.max_items or 100),
        "rows": [{
            "legend": f"{title} {i + 1}", "remove_value": f"remove:{field.name}:{i}",
            "remove_text": f"Remove {title.lower()} {i + 1}",
            "widgets": [widget(sub, row.get(sub.name), row_errors(errors, i).get(sub.name),
                               prefix=f"{field_id}-{i}-") for sub in field.item_fields],
        } for i, row in enumerate(shown)],
    }
