"""What administrators read of the e-mail outbox (/admin/reminders): every e-mail with its
state and Notify's reason for a refusal, newest first; and sending a failed one again once
its cause (an address, the template, the key) is put right. Administrators only: the pages
check the role, and an e-mail holds a child's reference, never more than its reader saw."""
from sqlalchemy import func, select

from models import Database, ReminderEmail, User

from .. import audit, clock
from ..errors import FormInvalid, NotFound

STATES = {"pending": "Waiting to be sent", "sending": "Being sent", "sent": "Sent",
          "failed": "Failed", "kept": "Kept here (Notify is not set up)"}
PER_PAGE = 50
REMINDER_RETRIED = "reminder_retried"


def emails_page(db: Database, status: str | None = None, before: int | None = None,
                limit: int = PER_PAGE) -> dict:
    with db.reading() as session:
        query = (select(ReminderEmail, User.username, User.display_name)
                 .join(User, User.id == ReminderEmail.user_id))
        if status:
            query = query.where(ReminderEmail.status == status)
        if before:
            query = query.where(ReminderEmail.id < before)
        rows = session.execute(query.order_by(ReminderEmail.id.desc()).limit(limit + 1)).all()
        counts = dict(session.execute(select(ReminderEmail.status, func.count())
                                      .group_by(ReminderEmail.status)).all())
        items = [{"id": e.id, "to": e.email, "username": username, "name": name,
                  "subject": e.subject, "body": e.body, "status": e.status,
                  "state": STATES.get(e.status, e.status), "attempts": e.attempts,
                  "next_attempt_at": e.next_attempt_at, "last_error": e.last_error,
                  "created_at": e.created_at, "sent_at": e.sent_at, "notify_id": e.notify_id}
                 for e, username, name in rows[:limit]]
        return {"items": items, "next": rows[limit - 1][0].id if len(rows) > limit else None,
                "counts": {s: counts.get(s, 0) for s in STATES}}


def retry(db: Database, actor: str, email_id: int) -> None:
    """A failed e-mail goes back to the queue, to the person's address as it is now."""
    from models import ReminderSettings
    with db.transaction() as session:
        row = session.get(ReminderEmail, email_id)
        if row is None:
            raise NotFound(f"There is no e-mail {email_id}")
        if row.status != "failed":
            raise FormInvalid({"email": ["Only a failed e-mail can be sent again"]}, {})
        settings = session.get(ReminderSettings, row.user_id)
        if settings is None or not settings.email:
            raise FormInvalid({"email": ["Add the person's e-mail address first"]}, {})
        row.email, row.status, row.next_attempt_at, row.attempts = settings.email, "pending", None, 0
        who = session.scalar(select(User).where(User.username == actor))
        audit.record(session, REMINDER_RETRIED, clock.now(), actor=who, email_id=email_id)
