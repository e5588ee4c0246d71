"""The "start a pathway" form: the details a council has when a child enters care, read from
the page (dates as GOV.UK day/month/year inputs) into what `engine.register_child` takes."""
from datetime import date

from engine.children import FGC_BEFORE_CARE_OUTCOMES, LEGAL_STATUSES

from .task_form import DATE_PARTS

DATE_FIELDS = {"date_of_birth": "Date of birth",
               "looked_after_on": "Date the child became looked after",
               "fgc_before_care_on": "Date the Family Group Conference was held"}
#: A9, P11: an FGC held at the edge of care is optional; left blank, the pathway asks for one.
OPTIONAL_DATES = {"fgc_before_care_on"}
TEXT_FIELDS = ("reference", "name", "legal_status", "team", "social_worker", "fgc_before_care_outcome")
ORDER = ("reference", "name", "date_of_birth", "legal_status", "looked_after_on", "team",
         "social_worker", "fgc_before_care_on", "fgc_before_care_outcome")


def typed(form, text_fields=TEXT_FIELDS, date_fields=DATE_FIELDS) -> dict:
    """What was typed, kept as typed, to show again beside any errors."""
    values = {name: form.get(name, "").strip() for name in text_fields}
    for name in date_fields:
        values[name] = {p: form.get(f"{name}-{p}", "").strip() for p in DATE_PARTS}
    return values


def parse_date(parts: dict, label: str) -> tuple[str | None, str | None]:
    """(ISO date, None) or (None, GOV.UK message) for a day/month/year answer."""
    if not any(parts.values()):
        return None, f"Enter the {label[0].lower()}{label[1:]}"
    missing = [p for p in DATE_PARTS if not parts.get(p)]
    if missing:
        return None, f"{label} must include a {missing[0]}"
    try:
        if not all(parts[p].isdigit() for p in DATE_PARTS) or len(parts["year"]) != 4:
            raise ValueError
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"])).isoformat(), None
    except ValueError:
        return None, f"{label} must be a real date"


def details(values: dict) -> tuple[dict, dict]:
    """The details for the engine, and this page's own date messages (which replace the
    engine's ISO-worded ones for the same fields)."""
    out = {name: values[name] for name in TEXT_FIELDS}
    date_errors = {}
    for name, label in DATE_FIELDS.items():
        if name in OPTIONAL_DATES and not any(values[name].values()):
            out[name] = ""
            continue
        out[name], message = parse_date(values[name], label)
        if message:
            date_errors[name] = [message]
    return out, date_errors


#: The engine lists the codes a command line needs; on the page the choices are shown.
PAGE_WORDS = {"legal_status": "Select the child's legal status"}


def merge_errors(engine_errors: dict, date_errors: dict, page_words: dict = PAGE_WORDS) -> dict:
    """The engine's errors and the page's own date messages; the page's words where the
    engine's name codes for a command line."""
    errors = {k: list(v) for k, v in engine_errors.items() if k not in date_errors}
    for name, message in page_words.items():
        if name in errors:
            errors[name] = [message]
    errors.update(date_errors)
    return errors


def summary(errors: dict, order=ORDER, date_fields=DATE_FIELDS) -> list[dict]:
    """The error summary in the page's order, each linked to its field (a date to its part)."""
    items = []
    for name in order:
        for message in errors.get(name, []):
            if name in date_fields:
                part = next((p for p in DATE_PARTS if f"include a {p}" in message), "day")
                href = f"#{name}-{part}"
            else:
                href = f"#{name}"
            items.append({"text": message, "href": href})
    return items


def legal_status_items(chosen: str) -> list[dict]:
    return [{"value": code, "text": text, "checked": code == chosen}
            for code, text in LEGAL_STATUSES.items()]


def fgc_outcome_items(chosen: str) -> list[dict]:
    return [{"value": code, "text": text, "checked": code == chosen}
            for code, text in FGC_BEFORE_CARE_OUTCOMES.items()]


def date_items(name: str, value: dict, errors: dict) -> list[dict]:
    texts = errors.get(name, [])
    named = {p for p in DATE_PARTS for t in texts if f"include a {p}" in t}
    wrong = named or (set(DATE_PARTS) if texts else set())
    widths = {"day": 2, "month": 2, "year": 4}
    return [{"name": p, "label": p.capitalize(), "value": value.get(p, ""),
             "classes": f"govuk-input--width-{widths[p]}" + (" govuk-input--error" if p in wrong else "")}
            for p in DATE_PARTS]


def error_message(errors: dict, name: str) -> dict | None:
    texts = errors.get(name)
    return {"text": " ".join(texts)} if texts else None
