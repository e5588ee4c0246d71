"""Reminders and escalations by e-mail (issue 14 section 5).

Three steps, each run by the worker after its sweep (engine/worker.py), each safe to run
twice or from two workers at once:
1. `writing.write_reminders` reads the outbox (a task opened for someone, an escalation) and,
   once a day, the open tasks now due within 3 working days or overdue, and writes one
   `Reminder` per person, kind and task (unique: never twice);
2. `composing.compose` puts them into e-mails, by each person's choice: one message per
   reminder, or one digest a day; a reminder whose task has closed, or whose child the
   person may no longer see (`engine.access`), is dropped;
3. `sending.send` sends them through GOV.UK Notify when a key is set, retried with back-off
   and never sent twice; without a key they stay in the outbox administrators read
   (`/admin/reminders`).
Panel business (invitations, the list of children, the agenda out, papers missing) goes the
same way, written from the panel calendar by `panel_notices` (issue 11 §1, §7).
E-mails name the task, its due date and the child's reference, and link to the task; the
child's name only where the council's setting allows it.
"""
from .config import ReminderConfig  # noqa: F401
from .settings import FREQUENCIES, reminder_settings, set_reminder_settings  # noqa: F401


def run_reminders(db, config: "ReminderConfig") -> dict:
    """One round of all three steps; returns how many of each were done."""
    from .composing import compose
    from .panel_notices import compose_panel_notices, write_panel_notices
    from .sending import send
    from .writing import write_reminders
    written = write_reminders(db) + (write_panel_notices(db, config) if config.panel_business else 0)
    composed = compose(db, config) + compose_panel_notices(db, config)
    sent = send(db, config) if config.sends else 0
    return {"written": written, "composed": composed, "sent": sent}
