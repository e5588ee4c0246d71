"""Putting waiting reminders into e-mails, by each person's choice.

`each`: one e-mail per reminder, at once. `digest`: one e-mail a day, from `digest_hour`
(London), holding every reminder waiting for the person, grouped by kind (escalations,
overdue, due soon, new tasks). An e-mail's unique `key` (`each:<reminder>`,
`digest:<person>:<day>`) means a reminder is put in one e-mail only, even if two workers
compose at once. Before a reminder goes in, it is checked again: the task must still be
open and the person still active and allowed to see the child (`engine.access`); otherwise
it is dropped (`skipped`). Text is minimal: what, the child's reference (the name only if
the council allows it), the due date and a link to the task.
"""
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Child, Database, HumanTask, Reminder, ReminderEmail, ReminderSettings, User

from .. import clock
from ..access import may_see_child
from .config import ReminderConfig
from .writing import DUE_SOON, ESCALATION, KINDS, OVERDUE, TASK_ASSIGNED


def _panel():
    """Panel business (`panel_notices`, which uses this module's wording) joins the digest."""
    from . import panel_notices
    return panel_notices

HEADINGS = {ESCALATION: "Escalations", OVERDUE: "Overdue",
            DUE_SOON: "Due in the next 3 working days", TASK_ASSIGNED: "New tasks for you"}
SERVICE = "Permanence Pathway"


def day(value: date | None) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}" if value else "no due date"


def compose(db: Database, config: ReminderConfig, now: datetime | None = None) -> int:
    """E-mails made in this round."""
    now = now or clock.now()
    local = now.astimezone(clock.LONDON)
    made = 0
    with db.transaction() as session:
        waiting = list(session.scalars(select(Reminder).where(Reminder.status == "waiting")
                                       .order_by(Reminder.user_id, Reminder.id)))
        by_user = defaultdict(list)
        for reminder in waiting:
            by_user[reminder.user_id].append(reminder)
        for user_id in _panel().waiting_users(session):   # a digest holds them too
            by_user.setdefault(user_id, [])
    for user_id, reminders in by_user.items():
        try:
            with db.transaction() as session:
                made += _compose_for(session, config, user_id, [r.id for r in reminders], now, local)
        except IntegrityError:   # another worker composed this one first
            continue
    return made


def _compose_for(session, config, user_id, reminder_ids, now, local) -> int:
    user = session.get(User, user_id)
    settings = session.get(ReminderSettings, user_id)
    key = f"digest:{user_id}:{local.date().isoformat()}"
    if settings is not None and settings.email and settings.frequency == "digest" and (
            local.hour < config.digest_hour
            or session.scalar(select(ReminderEmail.id).where(ReminderEmail.key == key))):
        return 0     # not yet the hour, or today's digest has gone: they wait for the next
    reminders = list(session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids),
                                                            Reminder.status == "waiting")
                                     .order_by(Reminder.id)))
    live = []
    for reminder in reminders:
        task = session.scalar(select(HumanTask).where(HumanTask.task_id == reminder.task_id))
        child = session.get(Child, reminder.child_id)
        if (settings is None or not settings.email or settings.frequency == "none"
                or task is None or task.status != "open" or not may_see_child(user, child)):
            reminder.status = "skipped"
        else:
            live.append((reminder, task, child))
    panel = (_panel().for_email(session, user, settings)
             if settings is not None and settings.email and settings.frequency == "digest" else [])
    if not live and not panel:
        return 0
    status = "pending" if config.sends else "kept"
    if settings.frequency == "each":
        for reminder, task, child in live:
            subject, body = _single(config, reminder, task, child)
            _email(session, f"each:{reminder.id}", user, settings.email, subject, body, status,
                   now, [reminder])
        return len(live)
    subject, body = _digest(config, live, local.date(), panel)
    _email(session, key, user, settings.email, subject, body, status, now, [r for r, _t, _c in live])
    _panel().mark_sent_in(panel, session.scalar(select(ReminderEmail.id).where(ReminderEmail.key == key)))
    return 1


def _email(session, key, user, address, subject, body, status, now, reminders) -> None:
    email = ReminderEmail(key=key, user_id=user.id, email=address, subject=subject[:200], body=body,
                          status=status, attempts=0, created_at=now)
    session.add(email)
    session.flush()
    for reminder in reminders:
        reminder.status, reminder.email_id = "composed", email.id


def _child(config: ReminderConfig, child: Child) -> str:
    return f"{child.name} ({child.reference})" if config.child_names else child.reference


def _line(config, reminder, task, child) -> str:
    rule = f" ({task.rule})" if task.rule else ""
    return (f"{task.name}, for {_child(config, child)}, due {day(task.due_on)}{rule}\n"
            f"{config.task_link(task.task_id)}")


def _single(config, reminder, task, child) -> tuple[str, str]:
    ref = _child(config, child)
    subject = {
        TASK_ASSIGNED: f"New task: {task.name} for {ref}",
        DUE_SOON: f"Due {day(task.due_on)}: {task.name} for {ref}",
        OVERDUE: f"Overdue: {task.name} for {ref}",
        ESCALATION: f"Escalation: {task.name} for {ref}",
    }[reminder.kind]
    opening = {
        TASK_ASSIGNED: "A task is waiting for you.",
        DUE_SOON: "A task of yours is due in the next 3 working days.",
        OVERDUE: f"A task of yours was due on {day(task.due_on)} and is not done yet.",
        ESCALATION: "A statutory deadline was missed and this task was opened for you.",
    }[reminder.kind]
    body = (f"{opening}\n\n{_line(config, reminder, task, child)}\n\n"
            f"Sign in to {SERVICE} to see the child's details.")
    return subject, body


def _digest(config, live, today: date, panel=()) -> tuple[str, str]:
    """The day's digest: the task reminders by kind, then any panel business."""
    groups = defaultdict(list)
    for reminder, task, child in live:
        groups[reminder.kind].append(_line(config, reminder, task, child))
    count = len(live) + len(panel)
    subject = f"{SERVICE}: {count} reminder{'s' if count != 1 else ''} for {day(today)}"
    parts = [f"Your reminders for {day(today)}."]
    for kind in KINDS:
        if groups[kind]:
            parts.append(f"# {HEADINGS[kind]} ({len(groups[kind])})\n\n" + "\n\n".join(groups[kind]))
    if panel:
        parts.append(_panel().digest_part(config, panel))
    parts.append(f"Sign in to {SERVICE} to see the children's details.")
    return subject, "\n\n".join(parts)
