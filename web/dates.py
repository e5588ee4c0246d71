"""Dates and times as GOV.UK writes them ("16 March 2026", "9:30am"), in Europe/London,
and the plain-English reason a task is due when it is."""
from datetime import date, datetime

from engine.clock import LONDON
from workflows.rules import rule_label


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def day_date(value: date | datetime | None) -> str:
    """A due date with its weekday, short ("Tue 5 Jan 2027"): deadlines fall around weekends
    and bank holidays, so the day matters as much as the date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value:%a} {value.day} {value:%b %Y}"


def time_of_day(value: datetime) -> str:
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def long_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{long_date(value)} at {time_of_day(value)}"


def due_reason(task: dict) -> str:
    """Why the task is due on its date: the task's own reason if its diagram gives one,
    otherwise the statement of its rule; always ending with the rule id."""
    reason = (task.get("due_reason") or "").strip() or rule_label(task.get("rule"))
    rule = task.get("rule")
    if reason and rule:
        return f"{reason} ({rule})"
    return reason or (f"Rule {rule}" if rule else "")


#: Roles as a sentence names them: "for the Legal team", not "for the Legal".
_ROLE_WORDS = {"Legal": "the Legal team", "IRO": "the Independent Reviewing Officer",
               "Agency Decision Maker": "the Agency Decision Maker"}


def role_in_words(role: str | None) -> str:
    """"for {role_in_words(lane)}": the role as people say it, with its article."""
    if not role:
        return "no one yet"
    return _ROLE_WORDS.get(role, f"the {role}")
