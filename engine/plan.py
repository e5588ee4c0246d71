"""The child's permanence plan on one page (D9, D24), as the records say it: the routes and
the contingency from the latest PPM that set them or the latest agreed change of plan, the
reasons, the actions from PPMs and from panel with their status, the next review dates, and
the plan's history (when it changed, who agreed it, why).

Read from `task_record` (current revisions) and the open tasks, never from workflow JSON.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Database, HumanTask, TaskRecord

from . import audit, clock, ppm_action_views
from .plan_content import PlanContent, content
from .records import child_card, current_records, seen_child, summary
from .users import user_by_name

#: `panel_ppm`: the PPM the Permanence Panel asked for (D18); `called_ppm`, `route_called_ppm`:
#: PPMs an event called (A6).
PPM_STEPS = ("initial_ppm", "review_ppm", "review_ppm_reunification", "route_review_ppm", "panel_ppm",
             "called_ppm", "route_called_ppm")
CHANGE_STEP = "review_plan_change"
#: The panel's residential review: a family placement found makes its route the plan (P5).
RESIDENTIAL_REVIEW_STEP = "residential_review"
PANEL_OUTCOME_STEPS = ("first_panel", "next_panel")
PANEL_ACTIONS_STEP = "record_panel_actions"
PANEL_ACTION_DONE_STEP = "complete_panel_action"
CLA_REVIEW_STEPS = ("first_review", "second_review", "later_review")
#: The review of a permanence achieved (R23): the CLA review hears it (M1).
PERMANENCE_REVIEW_STEP = "permanence_review"
#: What the next review dates are: open tasks of these steps.
NEXT = {"PPM": PPM_STEPS, "CLA review": CLA_REVIEW_STEPS, "Permanence Panel": PANEL_OUTCOME_STEPS}


@dataclass
class Plan:
    routes: list[str] = field(default_factory=list)
    contingency: str = ""
    reasons: str = ""
    agreed_on: date | None = None
    agreed_by: str = ""
    source_record_id: int | None = None
    actions: list[dict] = field(default_factory=list)
    next_dates: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    content: PlanContent = field(default_factory=PlanContent)


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


#: The steps whose records make the plan (the tracker reads only these).
PLAN_STEPS = (*PPM_STEPS, CHANGE_STEP, RESIDENTIAL_REVIEW_STEP, *PANEL_OUTCOME_STEPS, PANEL_ACTIONS_STEP,
              PANEL_ACTION_DONE_STEP, *CLA_REVIEW_STEPS, PERMANENCE_REVIEW_STEP)


#: The plan's reads, built once for any list of children (the child page reads one's).
_PLAN_RECORDS = current_records(select(TaskRecord).where(
    TaskRecord.child_id.in_(bindparam("child_ids", expanding=True)),
    TaskRecord.bpmn_id.in_(PLAN_STEPS))).order_by(TaskRecord.completed_at, TaskRecord.id)
_OPEN_TASKS = (select(HumanTask).where(HumanTask.child_id.in_(bindparam("child_ids", expanding=True)),
                                       HumanTask.status == "open")
               .order_by(HumanTask.due_on, HumanTask.id))


def child_plan(session: Session, child_id: int, today: date | None = None) -> Plan:
    """The plan of a child the caller has already been allowed to see."""
    return plans(session, [child_id], today)[child_id]


def plans(session: Session, child_ids: list[int], today: date | None = None) -> dict[int, Plan]:
    """The plans of many children at once (the tracker reads a thousand at a time)."""
    today = today or clock.today()
    rows: dict[int, list[dict]] = {i: [] for i in child_ids}
    for record in session.scalars(_PLAN_RECORDS, {"child_ids": list(child_ids)}):
        rows[record.child_id].append(summary(record))
    tasks: dict[int, list[HumanTask]] = {i: [] for i in child_ids}
    for task in session.scalars(_OPEN_TASKS, {"child_ids": list(child_ids)}):
        tasks[task.child_id].append(task)
    owned = ppm_action_views.child_actions(session, child_ids, today)
    return {i: _plan(rows[i], tasks[i], owned[i], today) for i in child_ids}


def _plan(rows: list[dict], open_tasks: list[HumanTask], owned: list[dict], today: date) -> Plan:
    plan = Plan()
    for record in rows:
        _apply(plan, record)
    plan.content = content(rows, PPM_STEPS, CLA_REVIEW_STEPS)
    tracked = {a["record_id"] for a in owned if a["record_id"]}
    plan.actions = (_ppm_actions(rows, today, skip=tracked) + owned
                    + _panel_actions(rows, open_tasks, today))
    plan.next_dates = _next_dates(open_tasks)
    plan.history.reverse()   # newest first
    return plan


def _apply(plan: Plan, record: dict) -> None:
    """A record that sets or changes the plan moves it on, and says so in the history."""
    answers, step = record["answers"], record["bpmn_id"]
    when = (_day(answers.get("held_on") or answers.get("change_reviewed_on") or answers.get("reviewed_on"))
            or record["completed_at"].date())
    routes, contingency, reasons = plan.routes, plan.contingency, plan.reasons
    if step in PPM_STEPS:
        if answers.get("routes"):
            routes = list(answers["routes"])
        contingency = answers.get("contingency_plan") or contingency
        reasons = answers.get("options_and_outcomes") or reasons
        why = answers.get("options_and_outcomes") or answers.get("progress") or ""
    elif step == CHANGE_STEP and answers.get("change_agreed") and answers.get("new_routes"):
        routes, reasons = list(answers["new_routes"]), answers.get("comments") or reasons
        why = answers.get("comments") or "Change of plan agreed"
    elif step == RESIDENTIAL_REVIEW_STEP and answers.get("family_placement_found") and answers.get("moved_to_route"):
        moved = answers["moved_to_route"]
        routes = [r for r in routes if r != "residential"] + ([] if moved in routes else [moved])
        why = answers.get("alternatives_progress") or "A family placement was found"
    else:
        return
    if (routes, contingency) != (plan.routes, plan.contingency):
        plan.history.append({"on": when, "by": record["completed_by"], "routes": routes,
                             "contingency": contingency, "why": why, "record_id": record["id"],
                             "what": record["task_name"]})
        plan.agreed_on, plan.agreed_by, plan.source_record_id = when, record["completed_by"], record["id"]
    plan.routes, plan.contingency, plan.reasons = routes, contingency, reasons


def _status(due_on: date | None, today: date) -> str:
    return "Overdue" if due_on and due_on < today else "Open"


def _ppm_actions(rows: list[dict], today: date, skip=frozenset()) -> list[dict]:
    """Actions typed at PPMs before owners were picked from staff (those picked are owned
    work, engine.ppm_actions, and `skip` names their records): the latest PPM's are open (or
    overdue); an earlier PPM's were reviewed at the PPM after it."""
    ppms = [r for r in rows if r["bpmn_id"] in PPM_STEPS]
    actions = []
    for i, record in enumerate(ppms):
        later = ppms[i + 1] if i + 1 < len(ppms) else None
        if record["id"] in skip:
            continue
        for action in record["answers"].get("actions") or []:
            due_on = _day(action.get("due_on"))
            status = (f"Reviewed at the PPM on {_long(_day(later['answers'].get('held_on')) or later['completed_at'].date())}"
                      if later else _status(due_on, today))
            actions.append({"from": "PPM", "set_on": _day(record["answers"].get("held_on")),
                            "action": action.get("action", ""), "owner": action.get("owner", ""),
                            "due_on": due_on, "status": status, "record_id": record["id"],
                            "done": later is not None})
    return actions


def _panel_actions(rows: list[dict], open_tasks: list[HumanTask], today: date) -> list[dict]:
    """Actions the panel set, each done (its completion record), open or overdue."""
    done = {}
    for record in rows:
        if record["bpmn_id"] == PANEL_ACTION_DONE_STEP and record["context"].get("action"):
            done[_action_key(record["context"]["action"])] = record
    open_keys = {(t.due_on, t.instructions) for t in open_tasks if t.bpmn_id == PANEL_ACTION_DONE_STEP}
    panel_on = None
    actions = []
    for record in rows:
        if record["bpmn_id"] in PANEL_OUTCOME_STEPS:
            panel_on = _day(record["answers"].get("panel_held_on"))
        if record["bpmn_id"] != PANEL_ACTIONS_STEP:
            continue
        for action in record["answers"].get("actions") or []:
            due_on = _day(action.get("due_on"))
            finished = done.get(_action_key(action))
            if finished:
                status = f"Done on {_long(_day(finished['answers'].get('completed_on')) or finished['completed_at'].date())}"
            else:
                status = _status(due_on, today)
                if not any(d == due_on and action.get("action", "") in (text or "") for d, text in open_keys):
                    status = "Not tracked" if status == "Open" else status
            actions.append({"from": "Permanence Panel", "set_on": panel_on,
                            "action": action.get("action", ""), "owner": action.get("owner", ""),
                            "due_on": due_on, "status": status, "record_id": record["id"],
                            "done": finished is not None})
    return actions


def _action_key(action: dict) -> tuple:
    return (action.get("action"), action.get("owner"), str(action.get("due_on"))[:10])


def _next_dates(open_tasks: list[HumanTask]) -> list[dict]:
    found = []
    for label, steps in NEXT.items():
        task = next((t for t in open_tasks if t.bpmn_id in steps), None)
        if task is not None:
            found.append({"what": label, "task": task.name, "due_on": task.due_on, "rule": task.rule})
    return found


def _long(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "an unknown date"


def plan_for(db: Database, child_id: int, username: str, purpose: str | None = None) -> tuple[dict, Plan]:
    """(the child, their plan) for a user who may see the child. Printing or downloading the
    plan (`purpose`) is audited; the child page that shows it is audited already."""
    # Only an audited print or download writes: the child page reads in its snapshot.
    with (db.transaction() if purpose else db.reading()) as session:
        user = user_by_name(session, username)
        child = seen_child(session, child_id, user)
        if purpose:
            audit.record(session, audit.RECORD_DOWNLOADED, clock.now(), actor=user,
                         child_id=child.id, purpose=purpose, document="permanence plan")
        return child_card(child), child_plan(session, child_id)
