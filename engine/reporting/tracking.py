"""Merton's tracking meetings (MER §6, §9; I5, I6): every looked-after child reviewed at a
regular tracking meeting chaired by a Head of Service, in two age bands (0 to 5 and 6 to 18),
with each Team Manager presenting their team's children and the progress of family finding.

How often they meet is the council's setting `tracking_meeting_weeks`: Merton's guidance
says "monthly" in §9 and "six weekly" in §6; the stricter reading, 4 weeks, is the default.
A child's family finding "moved since the last meeting" when a step of it was recorded in
the interval before this meeting.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Child, Deadline, HumanTask, PathwayInstance, Team, TaskRecord, User
from workflows.calendar import age_on
from workflows.local_settings import setting

from ..records import current_records
from .overview import route_ids, route_text
from .scope import Scope, current_instance, last_day_aged, looked_after, running, years_before

#: The age bands of MER §9: (key, heading, youngest, oldest) in completed years.
BANDS = {"0-5": ("Children aged 0 to 5", 0, 5), "6-18": ("Young people aged 6 to 18", 6, 18)}

#: Family finding (MER §6 "track progress on Family Finding cases"): the steps recorded, in
#: order, with the answer that dates each.
FAMILY_FINDING = [
    ("connected_assessment", "assessed_on", "Connected person assessed"),
    ("send_cpr", "cpr_sent_on", "Child's Permanence Report to the ADM"),
    ("adm_decision", "adm_decided_on", "ADM decision"),
    ("authority_to_place", "authority_on", "Placement order or s19 consent"),
    ("propose_match", "match_proposed_on", "Long-term match proposed"),
    ("record_match", "matched_on", "Adoption match"),
    ("ratify_match", "ratified_on", "Match ratified at panel"),
    ("record_placement", "placed_on", "Placed for adoption"),
]
FAMILY_FINDING_ROUTES = ("adoption", "long_term_fostering", "family_and_friends")


@dataclass
class TrackedChild:
    child_id: int
    reference: str
    name: str
    age: int
    social_worker: str
    legal_status: str
    stage: str
    routes: list[str]
    last_ppm: date | None
    family_finding: list[dict] = field(default_factory=list)   # {"step", "on"} in order
    moved: bool = False
    next_due: tuple[date, str] | None = None

    @property
    def seeks_family(self) -> bool:
        return any(r in FAMILY_FINDING_ROUTES for r in self.routes)


@dataclass
class TrackingMeeting:
    band: str
    heading: str
    meeting_on: date
    previous_on: date
    next_on: date
    teams: list[tuple[str, list[TrackedChild]]]

    @property
    def total(self) -> int:
        return sum(len(children) for _, children in self.teams)

    @property
    def family_finding(self) -> int:
        return sum(1 for _, children in self.teams for c in children if c.seeks_family)

    @property
    def not_moved(self) -> int:
        return sum(1 for _, children in self.teams for c in children if c.seeks_family and not c.moved)


def tracking_meeting(session: Session, scope: Scope, band: str, meeting_on: date) -> TrackingMeeting:
    heading, youngest, oldest = BANDS[band]
    interval = timedelta(weeks=setting("tracking_meeting_weeks"))
    born_after = last_day_aged(meeting_on, oldest)           # aged `oldest` or under
    born_by = years_before(meeting_on, youngest)             # aged `youngest` or over
    query = (select(Child.id, Child.reference, Child.name, Child.date_of_birth, Child.legal_status,
                    Team.name, User.display_name, PathwayInstance.stage, PathwayInstance.route,
                    PathwayInstance.facts)
             .join(Team, Team.id == Child.team_id).outerjoin(User, User.id == Child.social_worker_id)
             .join(PathwayInstance, current_instance(Child.id))
             .where(running(), looked_after(), Child.date_of_birth > born_after, Child.date_of_birth <= born_by,
                    Child.looked_after_on <= meeting_on)
             .order_by(Team.name, Child.name, Child.id))
    rows = session.execute(scope.children(query)).all()
    ids = [row[0] for row in rows]
    steps = _family_finding(session, ids)
    due = _next_due(session, ids)
    previous_on = meeting_on - interval
    teams: dict[str, list[TrackedChild]] = {}
    for child_id, ref, name, born, legal, team, worker, stage, route, facts in rows:
        facts = facts or {}
        found = steps.get(child_id, [])
        teams.setdefault(team, []).append(TrackedChild(
            child_id, ref, name, age_on(born, meeting_on), worker or "",
            facts.get("legal_status") or legal, stage or "", route_ids(route),
            _day(facts.get("held_on")), found,
            any(previous_on < s["on"] <= meeting_on for s in found), due.get(child_id)))
    return TrackingMeeting(band, heading, meeting_on, previous_on, meeting_on + interval,
                           list(teams.items()))


def _family_finding(session, ids) -> dict[int, list[dict]]:
    """Each child's family-finding steps as recorded, in the order of the route."""
    if not ids:
        return {}
    order = {step: i for i, (step, _, _) in enumerate(FAMILY_FINDING)}
    dated = {step: (key, label) for step, key, label in FAMILY_FINDING}
    found: dict[int, list[dict]] = {}
    for child_id, step, answers in session.execute(current_records(
            select(TaskRecord.child_id, TaskRecord.bpmn_id, TaskRecord.answers)
            .where(TaskRecord.child_id.in_(ids), TaskRecord.bpmn_id.in_(list(dated))))):
        key, label = dated[step]
        on = _day((answers or {}).get(key))
        if on is not None:
            found.setdefault(child_id, []).append({"step": label, "on": on, "order": order[step]})
    for steps in found.values():
        steps.sort(key=lambda s: (s["on"], s["order"]))
    return found


def _next_due(session, ids) -> dict[int, tuple[date, str]]:
    first: dict[int, tuple[date, str]] = {}
    for table, status in ((HumanTask, "open"), (Deadline, "running")):
        for child_id, due_on, rule in session.execute(
                select(table.child_id, table.due_on, table.rule)
                .where(table.child_id.in_(ids), table.status == status, table.due_on.is_not(None))):
            if child_id not in first or (due_on, rule or "") < first[child_id]:
                first[child_id] = (due_on, rule or "")
    return first


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def route_names(routes: list[str]) -> str:
    return " and ".join(route_text(r) for r in routes) or "No plan yet"
