"""Working days and statutory deadlines for England and Wales.

Every deadline in the permanence pathway (RULES.md, "Counting") is counted in
working days, weeks or calendar months from the date an event actually
happened, and is overdue from 00:00 Europe/London on the day after. BPMN
diagrams compute these dates in timer ``timeDate`` and task ``dueDate``
expressions, so the arithmetic lives here once, under test, instead of being
re-invented in each diagram. Results are ISO-8601 strings with the London
offset for that date, because SpiffWorkflow parses timers with
``datetime.fromisoformat`` and must fire at London midnight, not UTC midnight.
"""

from __future__ import annotations

import re
import threading
import zoneinfo
from datetime import date, datetime, timedelta

import holidays

__all__ = [
    "LONDON",
    "as_date",
    "is_working_day",
    "add_working_days",
    "add_weeks",
    "add_months",
    "add_days",
    "london_midnight",
    "overdue_from",
    "age_on",
    "as_date_string",
    "every_weeks_from",
    "next_ppm_due",
    "called_ppm_due",
    "DIAGRAM_FUNCTIONS",
]

LONDON = zoneinfo.ZoneInfo("Europe/London")

# One object for the life of the process: the library fills each year on first
# lookup, so it covers any year a child's pathway (birth to 21) can reach.
_ENGLAND = holidays.country_holidays("GB", subdiv="ENG")
# The library marks a year as filled *before* filling it, so an unguarded
# concurrent lookup could miss a holiday; fill each year once, under a lock.
_FILLED_YEARS: set[int] = set()
_FILL_LOCK = threading.Lock()
# The filled years' bank holidays as a plain set: the library's own lookup normalises its key
# on every call, and working days are counted a day at a time (every due date, every sweep).
_BANK_HOLIDAYS: set[date] = set()

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ].+")


def as_date(value) -> date:
    """Reduce any date-like input to a London local date, so diagrams may pass
    form data (date objects) or ISO strings interchangeably."""
    if isinstance(value, datetime):  # before date: datetime is a date subclass
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(LONDON)
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if _DATE_ONLY.fullmatch(text):
                return date.fromisoformat(text)
            if _DATE_TIME.fullmatch(text):
                return as_date(datetime.fromisoformat(text))
        except ValueError:
            pass  # e.g. "2026-02-30": well formed but not a real date
    raise ValueError(
        f"{value!r} is not a date (expected YYYY-MM-DD, "
        f"or an ISO date-time such as 2026-03-03T00:00:00+00:00)"
    )


def _count(n, name: str = "n", *, allow_negative: bool = True) -> int:
    """Reject floats and bools early: 1.5 working days or True weeks is a
    diagram bug that would otherwise produce a plausible wrong date."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name} must be a whole number, got {n!r} ({type(n).__name__})")
    if not allow_negative and n < 0:
        raise ValueError(f"{name} must be 0 or more, got {n}")
    return n


def _is_bank_holiday(d: date) -> bool:
    if d.year not in _FILLED_YEARS:
        # Outside its range the library silently knows no holidays (after
        # 2100 at the time of writing): a wrong deadline is worse than an error.
        if not _ENGLAND.start_year <= d.year <= _ENGLAND.end_year:
            raise ValueError(
                f"{d.isoformat()} is outside the years the bank-holiday calendar "
                f"covers ({_ENGLAND.start_year}-{_ENGLAND.end_year})"
            )
        with _FILL_LOCK:
            if d.year not in _FILLED_YEARS:
                _ENGLAND.get(d)  # first lookup fills the whole year
                _BANK_HOLIDAYS.update(day for day in list(_ENGLAND) if day.year == d.year)
                _FILLED_YEARS.add(d.year)
    return d in _BANK_HOLIDAYS


def is_working_day(d) -> bool:
    """Working day as the regulations mean it: Mon-Fri, not an English bank
    holiday (substitute and one-off days included)."""
    d = as_date(d)
    return d.weekday() < 5 and not _is_bank_holiday(d)


def add_working_days(start, n: int) -> str:
    """RULES "within N working days of X": the Nth working day after X. X
    itself never counts, so a weekend or holiday start needs no special case."""
    n = _count(n, allow_negative=False)
    d = as_date(start)
    one = timedelta(days=1)
    while n:
        d += one
        if d.weekday() < 5 and not _is_bank_holiday(d):
            n -= 1
    return london_midnight(d)


def add_days(start, n: int) -> str:
    return london_midnight(as_date(start) + timedelta(days=_count(n)))


def add_weeks(start, n: int) -> str:
    return london_midnight(as_date(start) + timedelta(weeks=_count(n)))


def add_months(start, n: int) -> str:
    """Calendar months, clamped to month end (31 Jan + 1 month = 28/29 Feb),
    so a review due "3 months after" 31 Aug is not pushed into December."""
    d = as_date(start)
    index = d.year * 12 + (d.month - 1) + _count(n)
    year, month = divmod(index, 12)
    month += 1
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return london_midnight(date(year, month, min(d.day, last_day)))


def london_midnight(d) -> str:
    """00:00 in London with that date's offset (GMT or BST), so a timer set
    from it fires at the start of the local day, and it round-trips through
    ``datetime.fromisoformat``."""
    d = as_date(d)
    return datetime(d.year, d.month, d.day, tzinfo=LONDON).isoformat()


def overdue_from(due) -> str:
    """A deadline on date D is met by anything done on D, so escalation
    starts at 00:00 London on D+1."""
    return london_midnight(as_date(due) + timedelta(days=1))


def age_on(date_of_birth, on) -> int:
    """Completed years. Comparing (month, day) pairs makes a 29 February
    child a year older on 1 March in non-leap years, as in English law."""
    born, day = as_date(date_of_birth), as_date(on)
    if day < born:
        raise ValueError(f"age asked on {day.isoformat()}, before birth on {born.isoformat()}")
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def in_words(value):
    """Dates as "16 February 2026", also inside a case fact (`ppm_called.called_on`), in a
    list of them (a panel's actions) and when kept as an ISO string: sentences a task shows
    (due reasons, instructions) are read by people, never "2026-02-16"."""
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return in_words(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, dict):
        return {k: in_words(v) for k, v in value.items()}
    if isinstance(value, list):
        return [in_words(v) for v in value]
    return value


def as_date_string(value) -> str:
    """ISO dates compare correctly as strings, which is all diagrams need."""
    return as_date(value).isoformat()


def next_ppm_due(held_on, weeks: int, next_ppm_on=None) -> str:
    """The next PPM: `weeks` after the last one held, or sooner on the date that PPM set
    (B21: DEV "dates are set for reviewing the plan"; a date set earlier is respected, never
    a later one). A date not after the meeting that set it is not a next date (blank)."""
    due = add_weeks(held_on, weeks)
    if next_ppm_on:
        sooner = as_date(next_ppm_on)
        if as_date(held_on) < sooner < as_date(due):
            return london_midnight(sooner)
    return due


def called_ppm_due(called, working_days: int, held_on, weeks: int, next_ppm_on=None) -> str:
    """A PPM an event calls for (A6): `working_days` after the event (`called`: the message's
    `called_on`), and never later than the next PPM would have been (R8, B21)."""
    due = next_ppm_due(held_on, weeks, next_ppm_on)
    if isinstance(called, dict) and called.get("called_on"):
        return min(due, add_working_days(called["called_on"], working_days), key=as_date)
    return due


def every_weeks_from(first, weeks) -> str:
    """An ISO 8601 cycle for a timeCycle: every `weeks` weeks from the day `first`, for as long
    as the step it is attached to runs (a reminder that repeats whether or not the last was
    acted on: A11's LGM reviews, which must not, count from the last held instead). Each firing is at 02:00 London on
    its day, so a change to or from summer time never moves it to the day before."""
    start = datetime.fromisoformat(london_midnight(first)) + timedelta(hours=2)
    return f"R/{start.isoformat()}/P{int(weeks) * 7}D"


# The only names diagram expressions may call for date arithmetic.
DIAGRAM_FUNCTIONS = {
    "add_working_days": add_working_days,
    "add_weeks": add_weeks,
    "add_months": add_months,
    "add_days": add_days,
    "age_on": age_on,
    "overdue_from": overdue_from,
    "as_date_string": as_date_string,
    "next_ppm_due": next_ppm_due,
    "called_ppm_due": called_ppm_due,
    "every_weeks_from": every_weeks_from,
}
