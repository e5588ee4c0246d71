"""The dates an oversight page is asked for, typed as GOV.UK date inputs (day, month, year):
a period for the performance indicators, a meeting date for a tracking meeting. Every
mistake is named beside its field, and what was typed is kept to be shown again."""
from dataclasses import dataclass, field
from datetime import date

from workflows.typed_input import date_message

#: Longest period one report covers: three years of months still read as a chart.
MAX_DAYS = 3 * 366


@dataclass
class Chosen:
    values: dict[str, dict[str, str]]          # field -> {"day", "month", "year"} as typed
    dates: dict[str, date | None]
    errors: list[dict] = field(default_factory=list)   # GOV.UK error summary items

    def error(self, name: str) -> str | None:
        return next((e["text"] for e in self.errors if e["href"] == f"#{name}-day"), None)

    def query(self) -> dict[str, str]:
        """The dates as query parameters, for links to the same period (PDF, XLSX)."""
        return {f"{name}-{part}": str(getattr(day, part)) for name, day in self.dates.items()
                if day for part in ("day", "month", "year")}


def _typed(args, name: str) -> dict[str, str]:
    return {part: (args.get(f"{name}-{part}") or "").strip()[:8] for part in ("day", "month", "year")}


def _read(typed: dict[str, str], subject: str, today: date) -> tuple[date | None, str | None]:
    if not all(typed.values()):
        missing = [part for part, value in typed.items() if not value]
        return None, f"{subject} must include a {' and a '.join(missing)}"
    try:
        day = date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
    except ValueError:
        return None, f"{subject} must be a real date, for example 1 4 2026"
    return day, date_message(subject, day, today)


def period(args, today: date) -> Chosen:
    """From and to (inclusive). Nothing typed: the twelve months to today, from the first of
    the month eleven months back."""
    typed = {name: _typed(args, name) for name in ("from", "to")}
    if not any(v for values in typed.values() for v in values.values()):
        start = date(today.year - (1 if today.month < 12 else 0), today.month % 12 + 1, 1)
        chosen = Chosen({}, {"from": start, "to": today})
        chosen.values = {n: {p: str(getattr(d, p)) for p in ("day", "month", "year")}
                         for n, d in chosen.dates.items()}
        return chosen
    chosen = Chosen(typed, {})
    for name, subject in (("from", "The start of the period"), ("to", "The end of the period")):
        day, problem = _read(typed[name], subject, today)
        chosen.dates[name] = None if problem else day
        if problem:
            chosen.errors.append({"text": problem, "href": f"#{name}-day"})
    start, end = chosen.dates["from"], chosen.dates["to"]
    if start and end:
        if end > today:
            chosen.errors.append({"text": "The end of the period must be today or earlier",
                                  "href": "#to-day"})
        elif end < start:
            chosen.errors.append({"text": "The end of the period must be on or after its start",
                                  "href": "#to-day"})
        elif (end - start).days > MAX_DAYS:
            chosen.errors.append({"text": "The period must be 3 years or shorter",
                                  "href": "#to-day"})
    return chosen


def meeting_date(args, today: date) -> Chosen:
    """The tracking meeting's date: today unless another is typed."""
    typed = _typed(args, "meeting_on")
    if not any(typed.values()):
        return Chosen({"meeting_on": {p: str(getattr(today, p)) for p in ("day", "month", "year")}},
                      {"meeting_on": today})
    day, problem = _read(typed, "The meeting date", today)
    chosen = Chosen({"meeting_on": typed}, {"meeting_on": None if problem else day})
    if problem:
        chosen.errors.append({"text": problem, "href": "#meeting_on-day"})
    return chosen
