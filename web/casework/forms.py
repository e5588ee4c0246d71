"""The case-detail forms' plumbing: what was typed (kept as typed, to show again beside any
errors), what goes to the engine, and the error summary's links. Fields are the engine's
lists of (name, label, kind, choices or hint), kinds text, long, choice, many and date."""
from ..child_form import parse_date
from ..task_form import DATE_PARTS


def typed(fields, form) -> dict:
    values = {}
    for name, _label, kind, _extra in fields:
        if kind == "date":
            values[name] = {p: form.get(f"{name}-{p}", "").strip() for p in DATE_PARTS}
        elif kind == "many":
            values[name] = [v.strip() for v in form.getlist(name)] if hasattr(form, "getlist") \
                else list(form.get(name) or [])
        else:
            values[name] = form.get(name, "").strip() if kind != "long" else form.get(name, "")
    return values


def from_stored(fields, data: dict | None) -> dict:
    """A stored version as the form shows it (to change it)."""
    data = data or {}
    values = {}
    for name, _label, kind, _extra in fields:
        value = data.get(name)
        if kind == "date":
            year, month, day = (value or "--").split("-") if value else ("", "", "")
            values[name] = {"day": day.lstrip("0"), "month": month.lstrip("0"), "year": year}
        elif kind == "many":
            values[name] = list(value or [])
        else:
            values[name] = value or ""
    return values


def for_engine(fields, values: dict) -> tuple[dict, dict]:
    """The data for the engine, and the page's own messages for dates it cannot read. A blank
    date goes as blank: the engine says whether it is needed."""
    data, errors = {}, {}
    for name, label, kind, _extra in fields:
        if kind == "date":
            if not any(values[name].values()):
                data[name] = None
                continue
            data[name], message = parse_date(values[name], label)
            if message:
                errors[name] = [message]
        else:
            data[name] = values[name]
    return data, errors


def merge(engine_errors: dict, date_errors: dict) -> dict:
    errors = {k: list(v) for k, v in engine_errors.items() if k not in date_errors}
    errors.update(date_errors)
    return errors


def summary(fields, errors: dict, extra=("reason",)) -> list[dict]:
    items = []
    kinds = {name: kind for name, _l, kind, _e in fields}
    for name in [*(n for n, _l, _k, _e in fields), *extra]:
        for message in errors.get(name, []):
            if kinds.get(name) == "date":
                part = next((p for p in DATE_PARTS if f"include a {p}" in message), "day")
                href = f"#{name}-{part}"
            else:
                href = f"#{name}"
            items.append({"text": message, "href": href})
    return items
