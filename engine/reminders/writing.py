"""Writing reminders: who is told what, once.

A task is for whoever the inbox shows it to as their own work: its assignee; for a Social
Worker task without one, the child's allocated social worker; otherwise everyone who holds
the task's lane (role) and may act for the child (`engine.access`: their own team's
children for team roles, every child for council-wide roles). Only people who have an
address and want e-mails are considered.

The outbox gives new tasks and escalations (read forward by id, the position kept in
`reminder_progress`, locked while it is read so two workers do not read the same events);
once a London day the open tasks are scanned for those now due within 3 working days
(`due_soon`) or overdue. A (person, kind, task) is written at most once: the unique
constraint guarantees it, even for two workers racing. "Due soon" and "overdue" are not
written when the new-task or escalation e-mail already came that late (it gave the due date).
"""
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError

from models import (Child, Database, HumanTask, OutboxEvent, Reminder, ReminderProgress,
                    ReminderSettings, User)
from workflows.calendar import add_working_days, as_date
from workflows.roles import LANE_ROLES, SOCIAL_WORKER, TEAM_SCOPED_ROLES

from .. import clock, outbox

TASK_ASSIGNED, DUE_SOON, OVERDUE, ESCALATION = "task_assigned", "due_soon", "overdue", "escalation"
KINDS = (ESCALATION, OVERDUE, DUE_SOON, TASK_ASSIGNED)   # the order a digest lists them in
SOON_WORKING_DAYS = 3
BATCH = 500
COUNCIL_WIDE = frozenset(LANE_ROLES) - TEAM_SCOPED_ROLES


@dataclass(frozen=True)
class Subscriber:
    id: int
    roles: frozenset
    team_id: int | None


def _subscribers(session) -> dict[int, Subscriber]:
    """Active people with an address who want e-mails (each or digest)."""
    users = session.scalars(select(User).join(ReminderSettings, ReminderSettings.user_id == User.id)
                            .where(User.active, ReminderSettings.email.is_not(None),
                                   ReminderSettings.frequency != "none")).unique()
    return {u.id: Subscriber(u.id, u.roles, u.team_id) for u in users}


def _may_act(person: Subscriber, child_team_id: int) -> bool:
    """`engine.access.may_act_on_child` on what the subscriber list holds."""
    if person.roles & COUNCIL_WIDE:
        return True
    return bool(person.roles & TEAM_SCOPED_ROLES) and person.team_id == child_team_id


def recipients(subscribers: dict[int, Subscriber], lane: str, assignee_id: int | None,
               child_team_id: int, social_worker_id: int | None) -> list[int]:
    if assignee_id is not None or lane == SOCIAL_WORKER:
        person = subscribers.get(assignee_id if assignee_id is not None else social_worker_id)
        return [person.id] if person and _may_act(person, child_team_id) else []
    return [p.id for p in subscribers.values()
            if lane in p.roles and _may_act(p, child_team_id)]


def write_reminders(db: Database, now: datetime | None = None) -> int:
    now = now or clock.now()
    return _from_outbox(db, now) + _from_due_dates(db, now)


def _progress(session) -> ReminderProgress:
    row = session.get(ReminderProgress, 1, with_for_update=True)
    if row is None:
        row = ReminderProgress(id=1, outbox_through=0)
        session.add(row)
        session.flush()
    return row


def _from_outbox(db: Database, now: datetime) -> int:
    made = 0
    while True:
        with db.transaction() as session:
            progress = _progress(session)
            events = list(session.scalars(
                select(OutboxEvent).where(OutboxEvent.id > progress.outbox_through,
                                          OutboxEvent.kind.in_((outbox.TASK_OPENED, outbox.ESCALATION)))
                .order_by(OutboxEvent.id).limit(BATCH)))
            if not events:
                return made
            progress.outbox_through = events[-1].id
            escalated = {e.payload.get("task_id") for e in events if e.kind == outbox.ESCALATION}
            wanted = {}
            for e in events:
                task_id = e.payload.get("task_id")
                if e.kind == outbox.TASK_OPENED and task_id not in escalated:
                    wanted[task_id] = TASK_ASSIGNED
                elif e.kind == outbox.ESCALATION:
                    wanted[task_id] = ESCALATION
            subscribers = _subscribers(session)
            if subscribers:
                rows = session.execute(
                    select(HumanTask.task_id, HumanTask.lane, HumanTask.assignee_id, HumanTask.due_on,
                           Child.id, Child.team_id, Child.social_worker_id)
                    .join(Child, Child.id == HumanTask.child_id)
                    .where(HumanTask.task_id.in_(list(wanted)), HumanTask.status == "open")).all()
                made += _add(session, subscribers, [(wanted[r[0]], *r) for r in rows], now)
            if len(events) < BATCH:
                return made


def _from_due_dates(db: Database, now: datetime) -> int:
    """Once a London day: the open tasks now due within 3 working days, or overdue."""
    today = now.astimezone(clock.LONDON).date()
    with db.transaction() as session:
        progress = _progress(session)
        if progress.scanned_on == today:
            return 0
        progress.scanned_on = today
        subscribers = _subscribers(session)
        if not subscribers:
            return 0
        soon_until = _soon_until_day(today)
        rows = session.execute(
            select(HumanTask.task_id, HumanTask.lane, HumanTask.assignee_id, HumanTask.due_on,
                   Child.id, Child.team_id, Child.social_worker_id)
            .join(Child, Child.id == HumanTask.child_id)
            .where(HumanTask.status == "open", HumanTask.due_on.is_not(None),
                   HumanTask.due_on <= soon_until)).all()
        return _add(session, subscribers,
                    [(OVERDUE if r.due_on < today else DUE_SOON, *r) for r in rows], now)


@lru_cache(maxsize=64)
def _soon_until_day(day) -> date:
    return as_date(add_working_days(day, SOON_WORKING_DAYS))


def _soon_until(at: datetime) -> date:
    """The last due date counted as "due soon" on the day `at` fell (London)."""
    return _soon_until_day(at.astimezone(clock.LONDON).date())


def _told_already(earlier, user_id, task_id, kind, due_on) -> bool:
    """The new-task or escalation e-mail came when the task was already due soon (or already
    overdue), and said its due date: another e-mail would only repeat it."""
    for u, k, t, at in earlier:
        if (u, t) != (user_id, task_id) or k not in (TASK_ASSIGNED, ESCALATION):
            continue
        if kind == DUE_SOON and _soon_until(at) >= due_on:
            return True
        if kind == OVERDUE and at.astimezone(clock.LONDON).date() > due_on:
            return True
    return False


def _add(session, subscribers, tasks, now) -> int:
    """Reminders for each (kind, task row) and person, skipping those already written."""
    candidates = []
    for kind, task_id, lane, assignee_id, due_on, child_id, team_id, worker_id in tasks:
        for user_id in recipients(subscribers, lane, assignee_id, team_id, worker_id):
            candidates.append((user_id, kind, task_id, child_id, due_on))
    made = 0
    for start in range(0, len(candidates), BATCH):
        chunk = candidates[start:start + BATCH]
        earlier = session.execute(
            select(Reminder.user_id, Reminder.kind, Reminder.task_id, Reminder.created_at)
            .where(tuple_(Reminder.user_id, Reminder.task_id).in_([(c[0], c[2]) for c in chunk]))).all()
        existing = {row[:3] for row in earlier}
        for user_id, kind, task_id, child_id, due_on in chunk:
            if (user_id, kind, task_id) in existing:
                continue
            if kind in (DUE_SOON, OVERDUE) and _told_already(earlier, user_id, task_id, kind, due_on):
                continue
            try:
                with session.begin_nested():
                    session.add(Reminder(user_id=user_id, kind=kind, task_id=task_id,
                                         child_id=child_id, due_on=due_on, status="waiting",
                                         created_at=now))
                made += 1
            except IntegrityError:   # another worker wrote it a moment ago
                continue
    return made
