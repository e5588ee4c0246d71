"""What the Permanence Tracker carries beyond the pathway's position (B20, D20, D21, I1): the
panel's open and recent actions with their owner, due date, status and latest interim
progress; the placement; the Family Group Conference; and the court dates. Each is read from
where it is kept, a batch of children at a time:

- actions: the child's plan (`engine.plan`: panel and PPM actions with their status) and the
  owners' interim progress (`action_progress`, kept against the open action's task);
- placement: the case events' facts (`placement_type`, `placement_area`, `placement_started_on`);
- FGC: the latest "Hold a Family Group Conference" record, else what the panel recorded
  (`fgc_used` on its outcome);
- court: proceedings issued (`issued_on`), the final hearing's due date by the timetable (the
  open "Record the final hearing or an extension" task, with any extension; else the
  pathway's `proceedings_due`; else 26 weeks from issue, R14, while no order is made since),
  and the order made (`order_type`, `order_made_on`).
"""
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import HumanTask, TaskRecord

from ..action_progress import progress_for
from ..records import current_records
from .cohort_rules import date_or_none
from .drift import PANEL_ACTION

FGC_STEP = "hold_fgc"
FGC_HELD = ("family_plan_agreed", "no_plan")
FGC_AT_PANEL = {"held": "Held (recorded at panel)", "declined": "Declined by the family (recorded at panel)",
                "not_yet": "Not yet: asked for by the panel", "not_appropriate": "Not appropriate (recorded at panel)"}
OUTCOME_STEPS = ("first_panel", "next_panel")
HEARING_TASKS = ("final_hearing", "final_hearing_escalation")


def actions(plan_actions: list[dict], last_panel: date | None, progress: list[tuple]) -> list[dict]:
    """Open actions, and the panel's actions set at the child's latest panel whatever their
    status (the recent ones), each with the latest interim progress if any."""
    shown = []
    for action in plan_actions:
        recent = action["from"] == "Permanence Panel" and last_panel and action["set_on"] == last_panel
        if action["done"] and not recent:
            continue
        latest = next((note for due_on, text, note in progress
                       if due_on == action["due_on"] and action["action"] and action["action"] in text), None)
        shown.append({**action, "progress": latest})
    return shown


def action_progress(session: Session, ids: list[int]) -> dict[int, list[tuple]]:
    """child -> [(due on, the task's instructions, the latest progress noted)] for each panel
    action with progress (matched to the plan's actions as `engine.plan` matches them)."""
    tasks = session.execute(select(HumanTask.child_id, HumanTask.task_id, HumanTask.due_on,
                                   HumanTask.instructions)
                            .where(HumanTask.child_id.in_(ids), HumanTask.bpmn_id == PANEL_ACTION)).all()
    notes = progress_for(session, [t[1] for t in tasks])
    found: dict[int, list[tuple]] = {}
    for child_id, task_id, due_on, instructions in tasks:
        if notes.get(task_id):
            found.setdefault(child_id, []).append((due_on, instructions or "", notes[task_id][-1]))
    return found


def fgc(session: Session, ids: list[int]) -> dict[int, tuple[str, date | None]]:
    """child -> (what happened, the date held)."""
    found: dict[int, tuple[str, date | None]] = {}
    for child_id, answers in session.execute(current_records(
            select(TaskRecord.child_id, TaskRecord.answers).where(
                TaskRecord.child_id.in_(ids), TaskRecord.bpmn_id.in_(OUTCOME_STEPS)))
            .order_by(TaskRecord.completed_at, TaskRecord.id)):
        used = (answers or {}).get("fgc_used")
        if used in FGC_AT_PANEL:
            found[child_id] = (FGC_AT_PANEL[used], None)
    for child_id, answers in session.execute(current_records(
            select(TaskRecord.child_id, TaskRecord.answers).where(
                TaskRecord.child_id.in_(ids), TaskRecord.bpmn_id == FGC_STEP))
            .order_by(TaskRecord.completed_at, TaskRecord.id)):
        outcome = (answers or {}).get("fgc_outcome")
        held_on = date_or_none((answers or {}).get("fgc_held_on"))
        found[child_id] = ("Held" if outcome in FGC_HELD else "Declined by the family"
                           if outcome == "declined" else "Recorded", held_on if outcome in FGC_HELD else None)
    return found


def hearings(session: Session, ids: list[int]) -> dict[int, date]:
    """child -> the final hearing's due date by the proceedings' timetable (open task)."""
    found: dict[int, date] = {}
    for child_id, due_on in session.execute(select(HumanTask.child_id, HumanTask.due_on).where(
            HumanTask.child_id.in_(ids), HumanTask.status == "open",
            HumanTask.bpmn_id.in_(HEARING_TASKS), HumanTask.due_on.is_not(None))):
        if child_id not in found or due_on < found[child_id]:
            found[child_id] = due_on
    return found


def final_hearing_due(facts: dict, open_due: date | None) -> date | None:
    if open_due is not None:
        return open_due
    issued, order = date_or_none(facts.get("issued_on")), date_or_none(facts.get("order_made_on"))
    if issued is None or (order is not None and order >= issued):
        return None
    from workflows.local_settings import setting
    return date_or_none(facts.get("proceedings_due")) or issued + timedelta(weeks=setting("care_proceedings_weeks"))
