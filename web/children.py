"""A child's pages: starting their pathway on entry to care, and where they stand (details,
open tasks, statutory deadlines, the timeline and the diagram with their position on it)."""
from flask import (
    Blueprint, Response, current_app, flash, make_response, redirect, render_template, request,
    url_for,
)

import engine
import engine.plan
import engine.views
from engine import case_events, casework, records

from engine.allocation import REALLOCATING_ROLES
from workflows.roles import ADMINISTRATOR

from . import before_care_form, child_form, database, dates, timeline
from .records.documents import plan_blocks
from .identity import casework_required, child_viewers_required, current_user

bp = Blueprint("children", __name__, url_prefix="/children")


@bp.route("/new", methods=["GET", "POST"])
@casework_required
def new():
    return _registration(child_form, "children/new.html", lambda db, details, user: engine.register_child(
        db, details, user.username, current_app.config["PERMANENCE"].process_id),
        "start a pathway for", "{name}'s pathway has started")


@bp.route("/before-care", methods=["GET", "POST"])
@casework_required
def before_care():
    """A10, B1, E18: register a child on the edge of care, or an unborn baby."""
    return _registration(before_care_form, "children/before_care.html",
                         lambda db, details, user: engine.register_before_care(db, details, user.username),
                         "register", "{name} is registered before care")


def _registration(form, template, register, doing: str, heading: str):
    """A registration page: the user's own team and themselves offered first; on POST the
    engine's checks, with everything typed kept beside its errors, or the child's page."""
    db, user = database(current_app), current_user()
    choices = engine.views.registration_choices(db, user.username)

    def render(values, errors, status=200):
        return render_template(template, values=values, errors_by_field=errors, choices=choices,
                               summary=form.summary(errors), form=form), status
    if request.method == "GET":
        values = form.typed({})
        values["team"] = user.team_name if user.team_name in choices["teams"] else ""
        values["social_worker"] = user.username if any(
            w["username"] == user.username for w in choices["social_workers"]) else ""
        return render(values, {})
    values = form.typed(request.form)
    details, date_errors = form.details(values)
    try:
        registered = register(db, details, user)
    except engine.FormInvalid as exc:
        return render(values, form.merge_errors(exc.errors, date_errors), 400)
    except engine.NotAllowed:
        return render(values, form.merge_errors({"team": [f"Choose your own team: you can only {doing} "
                                                          "a child in your team"]}, date_errors), 400)
    banner = _started_banner(details["name"], registered.outcome)
    banner["heading"] = heading.format(name=details["name"])
    flash(banner, "success")
    return redirect(url_for("children.show", child_id=registered.child_id))


def _started_banner(name: str, outcome) -> dict:
    lines = [f"{t['name']} for {dates.role_in_words(t['lane'])}"
             + (f", due {dates.long_date(t['due_on'])}" if t.get("due_on") else "")
             + (f" ({t['rule']})" if t.get("rule") else "") for t in outcome.opened]
    return {"heading": f"{name}'s pathway has started", "next": lines,
            "ending": f"The pathway stopped with a problem: {outcome.error}" if outcome.error else ""}


@bp.get("/<int:child_id>")
@child_viewers_required
def show(child_id):
    db, user = database(current_app), current_user()
    position = engine.position(db, child_id, user.username)  # records who viewed the child
    events = engine.views.child_timeline(db, child_id, user.username)
    kept = records.child_records(db, child_id, user.username, request.args.get("kind"))
    # The plan shows only beside records (every plan is made by some): a child with none
    # reads no plan, and their case details weigh the empty one it would be.
    plan = engine.plan.plan_for(db, child_id, user.username)[1] if kept["by_task"] else engine.plan.Plan()
    placed = case_events.placements(db, child_id, user.username)
    response = make_response(render_template(
        "children/show.html", position=position, child=position.child,
        open_tasks=position.child_open_tasks,
        events=[{**e, "text": timeline.describe(e, technical=ADMINISTRATOR in user.roles),
                 "who": timeline.who(e), "record_id": _record_of(e, kept)} for e in events],
        records=kept, plan_blocks=plan_blocks(plan, everything=False) if kept["by_task"] else None,
        routes=_routes(position.route), user_lanes=user.roles,
        may_reallocate=user.has_any(REALLOCATING_ROLES),
        case_events=case_events.child_events(db, child_id, user.username),
        placements=placed, casework=casework.details_for(db, child_id, user.username, placed, plan)))
    response.headers["Cache-Control"] = "no-store"
    return response


def _record_of(event: dict, kept: dict) -> int | None:
    """The record a timeline's completion made, for its link."""
    if event["kind"] != "task_completed":
        return None
    detail = event["detail"]
    return kept["by_task"].get(detail.get("task_id")) or kept["by_moment"].get(
        (detail.get("bpmn_id"), event["at"]))


def _routes(route: str) -> list[str]:
    """"adoption + long_term_fostering" (twin-track) as ["Adoption", "Long term fostering"]."""
    return [part.strip().replace("_", " ").capitalize() for part in route.split("+") if part.strip()]


@bp.get("/<int:child_id>/diagram.bpmn")
@child_viewers_required
def diagram(child_id):
    xml = engine.views.child_diagram(database(current_app), child_id, current_user().username)
    response = Response(xml, mimetype="application/xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response
