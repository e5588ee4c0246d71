"""The Permanence Panel page: choose one of the council's panel dates (its calendar, a
setting: BCP weekly on Thursdays, Halton its own dates), see the day's cohort or themes
worked out from the data (with who is left out and why), each child's papers check, and the
agenda in 15-minute slots; before and after the panel, each child's open panel tasks link to
the task page, where the outcome and the actions are recorded through the pathway itself,
the panel's date filled in from the agenda."""
import re
from datetime import date, datetime, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

import engine
from engine import action_progress, casework, clock, reporting
from workflows import local_settings

from . import database
from .identity import casework_required, current_user, roles_required

bp = Blueprint("panel", __name__)
panel_required = roles_required(*reporting.PANEL_ROLES)

THURSDAY = 3
SLOT = timedelta(minutes=15)
DEFAULT_START = "14:00"   # BCP §4: Thursday afternoons; the council's `starts_at` chooses
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def next_thursday(today: date) -> date:
    """The panel this week if it is still to come (or today), else next week's."""
    return today + timedelta(days=(THURSDAY - today.weekday()) % 7)


def next_panel(today: date) -> date:
    """The council's next panel on or after today (its calendar), else next Thursday."""
    return local_settings.panel().next_panel(today) or next_thursday(today)


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
                           today=clock.today(), calendar=_calendar(panel_date),
                           members=[title for _key, title in local_settings.panel().members])


def _calendar(chosen: date) -> list[dict]:
    """The next panels from today (and the chosen one), each with its cohorts and dates."""
    settings = local_settings.panel()
    days = sorted(set(settings.panel_dates(clock.today(), 6)) | {chosen})
    return [{"on": d, "chosen": d == chosen, "agenda_out_on": settings.agenda_out_on(d),
             "papers_due_on": settings.papers_due_on(d), "invitations_on": settings.invitations_on(d),
             "cohorts": [reporting.cohort_title(k) for k in settings.cohorts_on(d)]} for d in days]


def _chosen(args) -> tuple[date | None, datetime, list[dict]]:
    errors = []
    start = _start_time(args.get("start") or local_settings.panel().starts_at)
    if start is None:
        errors.append({"text": "Enter the start time as hours and minutes, for example 10:00",
                       "href": "#start"})
        start = _start_time(local_settings.panel().starts_at) or _start_time(DEFAULT_START)
    parts = [args.get(f"panel_date-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return next_panel(clock.today()), start, errors
    try:
        day, month, year = (int(p) for p in parts)
        chosen = date(year, month, day)
    except ValueError:
        errors.append({"text": "Enter the panel date as a real date, for example 5 3 2026",
                       "href": "#panel_date-day"})
        return None, start, errors
    settings = local_settings.panel()
    if not settings.is_panel_day(chosen):
        if settings.weekday is not None:
            text = (f"The panel meets on {date(2026, 1, 5 + settings.weekday):%A}s: "
                    f"{chosen.day} {chosen:%B %Y} is a {chosen:%A}")
        else:
            following = settings.next_panel(chosen)
            text = (f"There is no panel on {chosen.day} {chosen:%B %Y}"
                    + (f": the next is on {following:%A} {following.day} {following:%B %Y}" if following else ""))
        errors.append({"text": text, "href": "#panel_date-day"})
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


@bp.route("/actions/<task_id>/progress", methods=["GET", "POST"])
@casework_required
def action_progress_page(task_id):
    """An action's interim progress between panels (B20, D20): its owner and the managers
    who oversee the child record it; the panel page shows it."""
    db, username = database(current_app), current_user().username
    page = action_progress.action_page(db, task_id, username)     # 404 unseen, 403 no casework
    if request.method == "GET":
        return render_template("panel/action_progress.html", page=page, note="", error=None)
    note = request.form.get("note", "")
    try:
        action_progress.record_progress(db, task_id, note, username)
    except engine.FormInvalid as exc:
        return render_template("panel/action_progress.html", page=page, note=note,
                               error=exc.errors["note"][0]), 400
    except engine.TaskNotOpen as exc:
        return render_template("panel/action_progress.html", page=page, note=note, error=str(exc)), 409
    flash({"heading": f"Progress recorded for {page.child['name']}",
           "ending": "The panel sees it with the action."}, "success")
    return redirect(url_for("panel.action_progress_page", task_id=task_id))
