"""The Permanence Panel page: choose the panel's Thursday, see the five cohorts worked out
from the data (with who is left out and why) and the agenda in 15-minute slots; before and
after the panel, each child's open panel tasks link to the task page, where the outcome and
the actions are recorded through the pathway itself."""
import re
from datetime import date, datetime, timedelta

from flask import Blueprint, current_app, render_template, request

from engine import casework, clock, reporting

from . import database
from .identity import current_user, roles_required

bp = Blueprint("panel", __name__)
panel_required = roles_required(*reporting.PANEL_ROLES)

THURSDAY = 3
SLOT = timedelta(minutes=15)
DEFAULT_START = "10:00"
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def next_thursday(today: date) -> date:
    """The panel this week if it is still to come (or today), else next week's."""
    return today + timedelta(days=(THURSDAY - today.weekday()) % 7)


@bp.get("/panel")
@panel_required
def index():
    panel_date, start, errors = _chosen(request.args)
    if errors:
        return render_template("panel/index.html", errors=errors, agenda=None,
                               form=_form_values(request.args, start)), 400
    agenda = reporting.panel(database(current_app), current_user().username, panel_date)
    slots = _slots(agenda, start)
    siblings = casework.sibling_names(database(current_app), current_user().username, list(slots))
    return render_template("panel/index.html", errors=None, agenda=agenda, slots=slots,
                           siblings=siblings,
                           start=start, finish=start + SLOT * len(slots),
                           form=_form_values(request.args, start, panel_date),
                           today=clock.today())


def _chosen(args) -> tuple[date | None, datetime, list[dict]]:
    errors = []
    start = _start_time(args.get("start") or DEFAULT_START)
    if start is None:
        errors.append({"text": "Enter the start time as hours and minutes, for example 10:00",
                       "href": "#start"})
        start = _start_time(DEFAULT_START)
    parts = [args.get(f"panel_date-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return next_thursday(clock.today()), start, errors
    try:
        day, month, year = (int(p) for p in parts)
        chosen = date(year, month, day)
    except ValueError:
        errors.append({"text": "Enter the panel date as a real date, for example 5 3 2026",
                       "href": "#panel_date-day"})
        return None, start, errors
    if chosen.weekday() != THURSDAY:
        errors.append({"text": f"The panel meets on Thursdays: {chosen.day} {chosen:%B %Y} is a "
                               f"{chosen:%A}", "href": "#panel_date-day"})
    return chosen, start, errors


def _start_time(text: str) -> datetime | None:
    match = _TIME.match(text.strip())
    if not match:
        return None
    return datetime(2000, 1, 1, int(match.group(1)), int(match.group(2)))


def _slots(agenda, start: datetime) -> dict[int, tuple[datetime, datetime]]:
    """child id -> (from, to): 15 minutes each, in cohort order (Halton practice)."""
    slots, at = {}, start
    for cohort in agenda.cohorts:
        for child in cohort.children:
            slots[child["child_id"]] = (at, at + SLOT)
            at += SLOT
    return slots


def _form_values(args, start: datetime, chosen: date | None = None) -> dict:
    if chosen is not None:
        day, month, year = str(chosen.day), str(chosen.month), str(chosen.year)
    else:
        day, month, year = (args.get(f"panel_date-{p}", "") for p in ("day", "month", "year"))
    return {"day": day, "month": month, "year": year,
            "start": args.get("start") or f"{start:%H:%M}"}
