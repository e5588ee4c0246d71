"""Owners record interim progress on an action between panels (B20, D20: "the Permanence
Tracker is updated with progress against actions previously agreed ... prior to the next
Panel"). Who may: whoever may do the action's task (its owner, or its lane's holders) and the
managers who oversee the child. The panel page, the minutes and the action's own page show it.
"""
from dataclasses import dataclass

from sqlalchemy import select

from models import ActionProgress, Database, HumanTask
from workflows.roles import HEAD_OF_SERVICE, SERVICE_MANAGER, TEAM_MANAGER

from . import audit, clock
from .access import may_act_on_child, may_complete, may_see_child
from .errors import FormInvalid, NotAllowed, NotFound, TaskNotOpen
from .users import user_by_name

#: The steps that are an action someone owns (PPM actions can join).
ACTION_TASKS = ("complete_panel_action",)
NOTE_LIMIT = 2000
_OVERSEERS = {TEAM_MANAGER, SERVICE_MANAGER, HEAD_OF_SERVICE}


@dataclass(frozen=True)
class ActionPage:
    task: dict
    child: dict
    progress: list[dict]
    may_record: bool


def _action(session, task_id: str, user) -> HumanTask:
    row = session.scalar(select(HumanTask).where(HumanTask.task_id == task_id))
    if row is None or row.bpmn_id not in ACTION_TASKS or not may_see_child(user, row.instance.child):
        raise NotFound(f"There is no action {task_id} that you can see")
    return row


def _may_record(user, row) -> bool:
    child = row.instance.child
    return may_act_on_child(user, child) and (may_complete(user, row) or bool(user.roles & _OVERSEERS))


def action_page(db: Database, task_id: str, username: str) -> ActionPage:
    with db.reading() as session:
        user = user_by_name(session, username)
        row = _action(session, task_id, user)
        child = row.instance.child
        if not may_act_on_child(user, child):
            raise NotAllowed("Your role does not work on actions")
        return ActionPage({"task_id": row.task_id, "name": row.name, "instructions": row.instructions,
                           "due_on": row.due_on, "status": row.status, "lane": row.lane},
                          {"id": child.id, "name": child.name, "reference": child.reference},
                          progress_for(session, [task_id]).get(task_id, []), _may_record(user, row))


def record_progress(db: Database, task_id: str, note: str, username: str) -> None:
    note = (note or "").replace("\r\n", "\n").strip()
    with db.transaction() as session:
        user = user_by_name(session, username)
        row = _action(session, task_id, user)
        if not _may_record(user, row):
            raise NotAllowed(f"Progress on this action is recorded by its owner ({row.lane} or the "
                             "person named) and the managers who oversee the child")
        if row.status != "open":
            raise TaskNotOpen("This action is already done: its record says what was done")
        if not note:
            raise FormInvalid({"note": ["Enter the progress made on the action"]}, {"note": note})
        if len(note) > NOTE_LIMIT:
            raise FormInvalid({"note": [f"Progress must be {NOTE_LIMIT} characters or fewer"]}, {"note": note})
        if any(ord(c) < 32 and c not in "\n\t" for c in note):
            raise FormInvalid({"note": ["Progress must not contain control characters"]}, {"note": note})
        now = clock.now()
        session.add(ActionProgress(task_id=task_id, child_id=row.child_id, noted_on=clock.today(),
                                   note=note, by_id=user.id, by_name=user.display_name, recorded_at=now))
        audit.record(session, audit.ACTION_PROGRESS, now, actor=user, child_id=row.child_id,
                     instance_id=row.instance_id, task_id=task_id, task=row.name, note=note)


def progress_for(session, task_ids) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    ids = list(task_ids)
    for start in range(0, len(ids), 500):
        for p in session.scalars(select(ActionProgress).where(ActionProgress.task_id.in_(ids[start:start + 500]))
                                 .order_by(ActionProgress.recorded_at, ActionProgress.id)):
            found.setdefault(p.task_id, []).append({"on": p.noted_on, "by": p.by_name, "note": p.note})
    return found
