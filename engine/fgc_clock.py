"""R6 (B24, H12): a Family Group Conference not held by its due date is escalated, once, to
the child's team manager, who sees it in their inbox's Escalations and answers it with what
they did (engine.ppm_actions' escalation, source `FGC_SOURCE`).

Kept by the sweep rather than a boundary timer on `hold_fgc`, so that running pathways need
no new diagram version: the open `hold_fgc` task row already carries the due date (entry to
care + 10 working days). (Checked again after move_history's relaxed rules: a non-interrupting
boundary timer on `hold_fgc` still strands, in the dry run, every pathway whose FGC was done:
6 of the 10 demo children.) The escalation is an action of the child's social worker ("hold the
conference"), made already escalated; holding the conference marks it done.
"""
from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from models import Child, Database, HumanTask, PpmAction, TaskRecord, User
from workflows.calendar import as_date
from workflows.roles import TEAM_MANAGER

from . import audit, clock, outbox
from .ppm_actions import ESCALATED

FGC_STEP = "hold_fgc"
FGC_SOURCE = "FGC missed (R6)"


def missed_conferences(now: datetime):
    """The ids of open `hold_fgc` tasks due before today whose child has no escalation yet
    (the sweep first asks whether there are any, in a read: an idle sweep writes nothing)."""
    today = now.astimezone(clock.LONDON).date()
    raised = exists().where(PpmAction.child_id == HumanTask.child_id, PpmAction.source == FGC_SOURCE)
    return select(HumanTask.id).where(HumanTask.bpmn_id == FGC_STEP, HumanTask.status == "open",
                                      HumanTask.due_on < today, ~raised)


def escalate_missed(db: Database, now: datetime | None = None) -> int:
    """The sweep's part: each open `hold_fgc` task overdue (from 00:00 the day after its due
    date) is escalated once to the child's team's manager; how many were. Safe with many
    sweepers: the task rows are locked (skipping those another holds), and whether the child
    already has the escalation is asked again once the lock is held."""
    now = now or clock.now()
    with db.transaction() as session:
        ids = list(session.scalars(missed_conferences(now).order_by(HumanTask.due_on, HumanTask.id)
                                   .with_for_update(skip_locked=True)))
        made = 0
        for task_id in ids:
            task = session.get(HumanTask, task_id)
            if _raised(session, task.child_id):   # a sweeper that held the lock before us
                continue
            child = session.get(Child, task.child_id)
            owner = _owner(session, task, child)
            if owner is None:
                continue
            _escalate(session, task, child, owner, now)
            made += 1
        return made


def _raised(session: Session, child_id: int) -> bool:
    return session.scalar(select(PpmAction.id).where(
        PpmAction.child_id == child_id, PpmAction.source == FGC_SOURCE).limit(1)) is not None


def _owner(session: Session, task: HumanTask, child: Child) -> User | None:
    """Whose conference it was to hold: the task's assignee, the child's social worker, or
    (with neither) the team's manager, so the escalation always has someone to answer for."""
    for user_id in (task.assignee_id, child.social_worker_id):
        if user_id is not None:
            return session.get(User, user_id)
    managers = session.scalars(select(User).where(User.team_id == child.team_id, User.active.is_(True))
                               .order_by(User.id)).all()
    return next((u for u in managers if TEAM_MANAGER in u.roles), None)


def _escalate(session: Session, task: HumanTask, child: Child, owner: User, now: datetime) -> None:
    text = (f"Hold a Family Group Conference for {child.name} (R6: at the earliest opportunity, "
            f"target 10 working days from becoming looked after on {_long(child.looked_after_on)}). "
            f"It was due by {_long(task.due_on)} and has not been held.")
    action = PpmAction(child_id=child.id, source=FGC_SOURCE, set_on=child.looked_after_on, action=text,
                       owner_id=owner.id, due_on=task.due_on, status="open", created_at=now,
                       escalated_at=now, escalated_to_team_id=child.team_id or owner.team_id)
    session.add(action)
    session.flush()
    audit.record(session, ESCALATED, now, child_id=child.id, action_id=action.id,
                 owner=owner.username, due_on=task.due_on, rule="R6")
    outbox.record(session, outbox.ESCALATION, now, child=child, ppm_action_id=action.id,
                  action=text, owner=owner.username, due_on=task.due_on,
                  reason="a Family Group Conference was not held by its due date (R6)")


def held(session: Session, record: TaskRecord, actor: User | None, now: datetime) -> None:
    """The conference held (its task completed): the missed-FGC action, if any, is done on
    the day it was held."""
    if record.bpmn_id != FGC_STEP:
        return
    held_on = (record.answers or {}).get("fgc_held_on")
    done_on = as_date(held_on) if held_on else now.astimezone(clock.LONDON).date()
    for action in session.scalars(select(PpmAction).where(
            PpmAction.child_id == record.child_id, PpmAction.source == FGC_SOURCE,
            PpmAction.status == "open")):
        action.status, action.done_on = "done", max(done_on, action.set_on)
        action.done_note = "The Family Group Conference was held."
        action.done_by_id = actor.id if actor is not None else None


def _long(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""
