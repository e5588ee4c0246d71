"""The Permanence Panel's cohorts (RULES.md, BCP practice), worked out from the pathways'
facts as they stand on the panel date, each child in the first cohort that fits:

1. aged 16 or under, section 20 for 12 weeks or more, not endorsed by an LGM (R21);
2. placed with parents under a care order;
3. a plan of reunification;
4. long-term fostering not yet matched (the match not ratified at panel, R22);
5. no permanence plan, or a plan recorded as "other", and not reviewed at a panel in the
   five weeks of the rotation before this one.

Not on the panel, and listed with the reason: children in care proceedings (the Legal
Gateway Meeting reviews them) unless they have no plan; s20 endorsed by an LGM; aged 17 or
over on the panel date (the Placement and Resource Panel, R24).

The panel's outcome is recorded through the pathway (the panel tasks), never here; the
agenda shows each child's open panel tasks and, after the panel, whether its actions are in.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Child, HumanTask, PathwayInstance, Team, User
from workflows.calendar import age_on, as_date
from workflows.local_settings import setting
from workflows.roles import PANEL_ADMINISTRATOR, PANEL_CHAIR

from .drift import PANEL_ACTION
from .overview import route_ids
from .scope import Scope, running

COHORTS = {
    1: "Section 20 beyond 12 weeks, aged 16 or under, not endorsed by a Legal Gateway Meeting",
    2: "Placed with parents under a care order",
    3: "Plan of reunification",
    4: "Not yet long-term matched with their foster carers",
    5: "No permanence plan, or a plan recorded as other",
}
ROTATION_WEEKS = 5
#: Open tasks that mean care proceedings have been issued and no final order made yet.
PROCEEDINGS_TASKS = ("final_hearing", "final_hearing_escalation")
RECORD_ACTIONS = "record_panel_actions"
PANEL_LANES = (PANEL_CHAIR, PANEL_ADMINISTRATOR)


@dataclass
class Cohort:
    number: int
    title: str
    children: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class PanelAgenda:
    panel_date: date
    agenda_sent_on: date          # the Monday afternoon before
    cohorts: list[Cohort]
    excluded: list[dict]          # children who fit a cohort but go elsewhere, with why
    reviewed: list[dict]          # children whose outcome for this panel date is recorded


def agenda_monday(panel_date: date) -> date:
    return panel_date - timedelta(days=(panel_date.weekday() - 0) % 7 or 7)


def panel_agenda(session: Session, scope: Scope, panel_date: date) -> PanelAgenda:
    children = _running_children(session, scope)
    in_proceedings = _children_with_open(session, PROCEEDINGS_TASKS)
    cohorts = [Cohort(n, title) for n, title in COHORTS.items()]
    excluded, reviewed = [], []
    for child in children:
        number, why = _cohort(child, panel_date)
        child["cohort"], child["why"] = number, why
        if child["facts"].get("panel_held_on") == panel_date.isoformat():
            reviewed.append(child)
        if number is None:
            continue
        reason = _exclusion(child, panel_date, child["child_id"] in in_proceedings)
        if reason:
            excluded.append({**child, "reason": reason})
        else:
            cohorts[number - 1].children.append(child)
    listed = [c for cohort in cohorts for c in cohort.children] + reviewed
    _add_panel_tasks(session, listed, panel_date)
    for cohort in cohorts:
        cohort.children.sort(key=lambda c: (c["name"], c["reference"]))
    return PanelAgenda(panel_date, agenda_monday(panel_date), cohorts,
                       sorted(excluded, key=lambda c: (c["cohort"], c["name"])),
                       sorted(reviewed, key=lambda c: (c["name"], c["reference"])))


def _running_children(session: Session, scope: Scope) -> list[dict]:
    query = (select(Child.id, Child.reference, Child.name, Child.date_of_birth, Child.legal_status,
                    Child.looked_after_on, Team.name, User.display_name, PathwayInstance.route,
                    PathwayInstance.facts)
             .join(PathwayInstance, PathwayInstance.child_id == Child.id)
             .join(Team, Team.id == Child.team_id).outerjoin(User, User.id == Child.social_worker_id)
             .where(running()))
    rows = []
    for cid, ref, name, born, legal, since, team, worker, route, facts in session.execute(
            scope.children(query)):
        facts = facts or {}
        routes = route_ids(route) or [r for r in facts.get("routes") or [] if isinstance(r, str)]
        rows.append({"child_id": cid, "reference": ref, "name": name, "date_of_birth": born,
                     "legal_status": facts.get("legal_status") or legal, "looked_after_on": since,
                     "team": team, "social_worker": worker or "", "routes": routes, "facts": facts})
    return rows


def _children_with_open(session: Session, bpmn_ids) -> set[int]:
    return set(session.scalars(select(HumanTask.child_id).where(
        HumanTask.status == "open", HumanTask.bpmn_id.in_(bpmn_ids))))


def _no_plan(child: dict) -> bool:
    return not child["routes"] and not child["facts"].get("plan_identified")


def _cohort(child: dict, on: date) -> tuple[int | None, str]:
    facts, routes, legal = child["facts"], child["routes"], child["legal_status"]
    weeks = setting("s20_drift_weeks")
    drift_from = child["looked_after_on"] + timedelta(weeks=weeks)
    if (legal == "s20" and _age(child, on) <= 16 and on >= drift_from
            and facts.get("s20_endorsed") is not True and facts.get("still_s20") is not False
            and not facts.get("issued_on")):
        return 1, f"Section 20 since {_long(child['looked_after_on'])} ({weeks} weeks on {_long(drift_from)})"
    if legal == "pwp":
        return 2, "Placed with parents under a care order"
    if "reunification" in routes:
        return 3, "Plan of reunification" + (" (twin-track)" if len(routes) > 1 else "")
    if ("long_term_fostering" in routes and facts.get("ratified") is not True
            and facts.get("achieved_route") != "long_term_fostering"):
        return 4, "Long-term fostering: the match is not yet ratified at panel"
    if _no_plan(child) or "other" in routes:
        last = _date(facts.get("panel_held_on"))
        if last and on - timedelta(weeks=ROTATION_WEEKS) < last < on:
            return None, f"Reviewed at the panel on {_long(last)}"
        return 5, "No permanence plan recorded" if _no_plan(child) else "Plan recorded as other"
    return None, ""


def _exclusion(child: dict, on: date, proceedings_open: bool) -> str:
    if _age(child, on) >= 17:
        return "Aged 17 or over on the panel date: the Placement and Resource Panel (R24)"
    if child["facts"].get("s20_endorsed") is True:
        return "Section 20 endorsed by the Legal Gateway Meeting"
    in_proceedings = child["legal_status"] in ("ico", "epo") or (
        bool(child["facts"].get("issued_on")) and (proceedings_open or _no_order_since(child["facts"])))
    if in_proceedings and not _no_plan(child):
        return "In care proceedings: reviewed at the Legal Gateway Meeting"
    return ""


def _no_order_since(facts: dict) -> bool:
    """Proceedings issued (recorded as a case event) and no order made since."""
    issued, order = _date(facts.get("issued_on")), _date(facts.get("order_made_on"))
    return bool(issued) and (order is None or order < issued)


def _add_panel_tasks(session: Session, children: list[dict], panel_date: date) -> None:
    """Each child's open panel tasks (the chair's and administrator's, and the actions), and
    where this panel's outcome stands."""
    ids = {c["child_id"] for c in children}
    tasks: dict[int, list[dict]] = {}
    for start in range(0, len(ids), 500):
        chunk = sorted(ids)[start:start + 500]
        for task in session.scalars(
                select(HumanTask).where(HumanTask.status == "open", HumanTask.child_id.in_(chunk),
                                        or_(HumanTask.lane.in_(PANEL_LANES),
                                            HumanTask.bpmn_id == PANEL_ACTION))
                .order_by(HumanTask.due_on, HumanTask.id)):
            tasks.setdefault(task.child_id, []).append({
                "task_id": task.task_id, "name": task.name, "lane": task.lane,
                "bpmn_id": task.bpmn_id, "due_on": task.due_on, "rule": task.rule,
                "instructions": task.instructions, "due_reason": task.due_reason,
                "due_error": task.due_error})
    for child in children:
        open_tasks = tasks.get(child["child_id"], [])
        child["panel_tasks"] = [t for t in open_tasks if t["bpmn_id"] != PANEL_ACTION]
        child["actions"] = [t for t in open_tasks if t["bpmn_id"] == PANEL_ACTION]
        child["outcome_recorded"] = child["facts"].get("panel_held_on") == panel_date.isoformat()
        child["actions_recorded"] = child["outcome_recorded"] and not any(
            t["bpmn_id"] == RECORD_ACTIONS for t in open_tasks)


def _age(child: dict, on: date) -> int:
    return age_on(child["date_of_birth"], on) if child["date_of_birth"] <= on else 0


def _date(value) -> date | None:
    try:
        return as_date(value) if value else None
    except (TypeError, ValueError):
        return None


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
