"""The permanence tracker: one row per child the user may see, for the spreadsheet councils
keep (and inspectors ask for): who, where on the pathway, the last meetings, what is next.

Rows are read a thousand children at a time, so a council-wide export is never held in
memory, all in one reading transaction: the export is one snapshot of the council (a child
registered while it streams is in it whole or not at all), and on SQLite a reading
transaction neither takes the write lock nor waits for one, so it is never cut off by
"database is locked" half way through, and it does not hold up the social workers' writes.
"""
from collections.abc import Iterator
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Child, Database, Deadline, HumanTask, PathwayInstance, Team, User
from workflows.calendar import age_on, as_date

from .. import clock
from ..plan import plans   # the plan as the records say it
from . import tracker_details as details
from .overview import route_ids
from .scope import DASHBOARD_ROLES, Scope, looked_after, scope_for

BATCH = 1000


def tracker_rows(db: Database, username: str) -> Iterator[dict]:
    """Checks who is asking now (NotAllowed before anything is sent), then yields rows."""
    rows = _rows(db, username, clock.today())
    next(rows)  # the snapshot taken now, before the response starts
    return rows


def _rows(db: Database, username: str, today: date) -> Iterator[dict | None]:
    with db.reading(own=True) as session:   # read on while the response streams
        scope: Scope = scope_for(session, username, DASHBOARD_ROLES)  # the snapshot's first read
        yield None
        after = ""
        while True:
            batch = _batch(session, scope, after, today)
            if not batch:
                return
            yield from batch
            after = batch[-1]["reference"]


def _batch(session: Session, scope: Scope, after: str, today: date, limit: int = BATCH) -> list[dict]:
    query = (select(Child.id, Child.reference, Child.name, Child.date_of_birth, Child.legal_status,
                    Child.looked_after_on, Team.name, User.display_name)
             .join(Team, Team.id == Child.team_id).outerjoin(User, User.id == Child.social_worker_id)
             .where(Child.reference > after, looked_after()).order_by(Child.reference).limit(limit))
    children = session.execute(scope.children(query)).all()
    ids = [row[0] for row in children]
    pathways = _latest_pathways(session, ids)
    the_plans = plans(session, ids, today)
    next_due = _next_due(session, ids)
    progress = details.action_progress(session, ids)
    fgcs, hearings = details.fgc(session, ids), details.hearings(session, ids)
    rows = []
    for child_id, ref, name, born, legal, since, team, worker in children:
        stage, route, facts = pathways.get(child_id, ("", "", {}))
        routes = route_ids(route) or [r for r in facts.get("routes") or [] if isinstance(r, str)]
        due_on, rule = next_due.get(child_id, (None, ""))
        rows.append({
            "child_id": child_id, "reference": ref, "name": name, "date_of_birth": born,
            "age": age_on(born, today) if born <= today else None, "team": team,
            "social_worker": worker or "", "legal_status": facts.get("legal_status") or legal,
            "looked_after_on": since, "stage": stage, "routes": routes,
            "plan_identified": bool(facts.get("plan_identified") or routes),
            "last_ppm": _day(facts.get("held_on")), "last_review": _day(facts.get("review_held_on")),
            "last_panel": _day(facts.get("panel_held_on")), "next_due_on": due_on,
            "next_rule": rule, "overdue": due_on is not None and due_on < today,
            "contingency": the_plans[child_id].contingency,
            "actions": details.actions(the_plans[child_id].actions, _day(facts.get("panel_held_on")),
                                       progress.get(child_id, [])),
            "placement_type": facts.get("placement_type") or "",
            "placement_area": facts.get("placement_area") or "",
            "placement_started_on": _day(facts.get("placement_started_on")),
            "fgc": fgcs.get(child_id, ("", None))[0], "fgc_held_on": fgcs.get(child_id, ("", None))[1],
            "issued_on": _day(facts.get("issued_on")), "final_hearing_due_on": details.final_hearing_due(facts, hearings.get(child_id)),
            "order_type": facts.get("order_type") or "", "order_made_on": _day(facts.get("order_made_on"))})
    return rows


def _latest_pathways(session, ids) -> dict[int, tuple[str, str, dict]]:
    latest = {}
    for child_id, stage, route, facts in session.execute(
            select(PathwayInstance.child_id, PathwayInstance.stage, PathwayInstance.route,
                   PathwayInstance.facts)
            .where(PathwayInstance.child_id.in_(ids)).order_by(PathwayInstance.id)):
        latest[child_id] = (stage or "", route or "", facts or {})
    return latest


def _next_due(session, ids) -> dict[int, tuple[date, str]]:
    """The earliest date open: an open task's or a running statutory clock's, with its rule."""
    first: dict[int, tuple[date, str]] = {}
    for table, status in ((HumanTask, "open"), (Deadline, "running")):
        for child_id, due_on, rule in session.execute(
                select(table.child_id, table.due_on, table.rule)
                .where(table.child_id.in_(ids), table.status == status, table.due_on.is_not(None))):
            if child_id not in first or (due_on, rule or "") < first[child_id]:
                first[child_id] = (due_on, rule or "")
    return first


def _day(value) -> date | None:
    if not value:
        return None
    try:
        return as_date(value)
    except (TypeError, ValueError):
        return None
