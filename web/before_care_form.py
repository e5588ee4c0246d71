"""The "register a child before care" form (A10, B1, E18): a child on the edge of care, or an
unborn baby, read from the page into what `engine.register_before_care` takes. Dates are
GOV.UK day/month/year inputs; everything typed is kept beside the errors."""
from engine.before_care import FIELDS, KINDS

from . import child_form
from .child_form import error_message, date_items, parse_date  # noqa: F401  (the template's)

DATE_FIELDS = {"known_on": "Date the council was told or the child referred",
               "date_of_birth": "Date of birth", "expected_birth_on": "Expected date of birth"}
TEXT_FIELDS = ("reference", "name", "before_care", "team", "social_worker")
#: Which date the kind asks for: the other is left blank.
DATE_OF_KIND = {"edge_of_care": "date_of_birth", "unborn": "expected_birth_on"}
#: The fields as the page asks them, for the error summary's order (GOV.UK: the order of the form).
PAGE_ORDER = ("reference", "name", "before_care", "date_of_birth", "expected_birth_on", "known_on",
              "team", "social_worker")


def typed(form) -> dict:
    return child_form.typed(form, TEXT_FIELDS, DATE_FIELDS)


def details(values: dict) -> tuple[dict, dict]:
    """The details for the engine, and this page's own date messages. The birth date the
    kind does not ask for is passed blank when nothing is typed in it; typed, the engine says
    it is not for this kind."""
    out = {name: values[name] for name in TEXT_FIELDS}
    wanted = DATE_OF_KIND.get(values["before_care"])
    date_errors = {}
    for name, label in DATE_FIELDS.items():
        if name in DATE_OF_KIND.values() and name != wanted and not any(values[name].values()):
            out[name] = ""
            continue
        out[name], message = parse_date(values[name], label)
        if message:
            date_errors[name] = [message]
    return out, date_errors


def merge_errors(engine_errors: dict, date_errors: dict) -> dict:
    return child_form.merge_errors(engine_errors, date_errors,
                                   page_words={"before_care": "Select why the council knows the child"})


def summary(errors: dict) -> list[dict]:
    return child_form.summary(errors, PAGE_ORDER + tuple(f for f in FIELDS if f not in PAGE_ORDER),
                              DATE_FIELDS)


def kind_items(chosen: str) -> list[dict]:
    """The two kinds as radios; each asks for its own birth date (the other is left blank)."""
    return [{"value": code, "text": text, "checked": code == chosen} for code, text in KINDS.items()]
