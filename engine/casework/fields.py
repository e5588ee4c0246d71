"""Reading one casework form's answers into (values, errors by field): the checks every section
(family time, the family network, identity, siblings, health) shares, so a date, a choice or a
piece of text is refused with the same words wherever it is typed: page, command line or API."""
from datetime import date

from workflows.calendar import as_date
from workflows.typed_input import control_message, date_message


class FieldReader:
    """Collects what was read and what is wrong with it, field by field. A field already in
    error is never given a second, derived complaint (`require` checks that)."""

    def __init__(self, today: date | None, born: date | None = None, text_limit: int = 200,
                 long_limit: int = 5000):
        self.today, self.born = today, born
        self.text_limit, self.long_limit = text_limit, long_limit
        self.values: dict = {}
        self.errors: dict[str, list[str]] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def ok(self, name: str) -> bool:
        return name not in self.errors

    def require(self, name: str, message: str) -> None:
        """`message` when the field was left blank (and nothing else is wrong with it)."""
        if not self.values.get(name) and self.ok(name):
            self.fail(name, message)

    def text(self, name: str, label: str, raw, long: bool = False) -> str:
        text = str(raw or "").strip()
        limit = self.long_limit if long else self.text_limit
        if message := control_message(label, text, multiline=long):
            self.fail(name, message)
        elif len(text) > limit:
            self.fail(name, f"{label} must be {limit} characters or fewer")
        self.values[name] = text
        return text

    def date(self, name: str, label: str, raw, latest: date | None = None,
             blank: str | None = None) -> str | None:
        """An ISO date no later than `latest` (today unless given), or None when blank (refused
        with `blank` when given)."""
        self.values[name] = None
        if raw in (None, ""):
            if blank:
                self.fail(name, blank)
            return None
        try:
            day = as_date(raw)
        except (TypeError, ValueError):
            self.fail(name, f"{label} must be a real date, like 2026-03-02")
            return None
        latest = latest or self.today
        if day > latest:
            self.fail(name, f"{label} must be today or in the past")
        elif message := date_message(label, day, self.today, born=self.born):
            self.fail(name, message)
        self.values[name] = day.isoformat()
        return self.values[name]

    def choice(self, name: str, label: str, raw, choices: dict, blank: str | None = None,
               wrong: str | None = None) -> str:
        """One of `choices`' keys, or "". A blank answer is refused with `blank` when given."""
        text = str(raw or "").strip()
        if text not in choices and (text or blank):
            self.fail(name, blank if not text else (wrong or f"{label}: choose one of the options"))
        self.values[name] = text if text in choices else ""
        return self.values[name]

    def many(self, name: str, label: str, raw, choices: dict) -> list[str]:
        chosen = [str(v) for v in raw] if isinstance(raw, (list, tuple)) else []
        if any(v not in choices for v in chosen):
            self.fail(name, f"{label}: choose from the list")
        self.values[name] = [v for v in choices if v in chosen]
        return self.values[name]

    def result(self) -> tuple[dict, dict]:
        return self.values, self.errors
