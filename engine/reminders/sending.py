"""Sending e-mails through GOV.UK Notify (`notifications-python-client`), from the worker.

Each e-mail is claimed first (status `sending`, with a lease of `LEASE`), in a short
transaction, so two workers never send the same one and no transaction is held open while
Notify answers. Then:
- Notify accepts it (201): `sent`, with Notify's notification id;
- Notify refuses it (400 BadRequestError, 403 AuthError ...): `failed`, with Notify's reason,
  for an administrator to see on /admin/reminders; sending it again would fail the same way;
- 429 (rate limit), 5xx, or no answer: `pending` again, retried after 30 s, 1, 2, 4 ...
  minutes (at most an hour), never dropped. Other e-mails go on meanwhile.
An e-mail is sent with its key as Notify's `reference`. If a worker stopped between Notify
accepting an e-mail and recording it, the lease runs out and the next worker asks Notify for
that reference before sending: found, it is recorded as sent, not sent twice.
"""
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from models import Database, ReminderEmail

from .. import clock
from .config import ReminderConfig

LEASE = timedelta(minutes=10)
FIRST_WAIT, LONGEST_WAIT = timedelta(seconds=30), timedelta(hours=1)
TIMEOUT_SECONDS = 15
BATCH = 50


def backoff(attempts: int) -> timedelta:
    return min(FIRST_WAIT * (2 ** (attempts - 1)), LONGEST_WAIT)


def client_for(config: ReminderConfig):
    from notifications_python_client.notifications import NotificationsAPIClient
    return NotificationsAPIClient(config.notify_api_key, base_url=config.notify_base_url,
                                  timeout=TIMEOUT_SECONDS)


def send(db: Database, config: ReminderConfig, now: datetime | None = None, batch: int = BATCH) -> int:
    """Send what is due; returns how many Notify accepted."""
    now = now or clock.now()
    claimed = _claim(db, now, batch)
    if not claimed:
        return 0
    client = client_for(config)
    sent = 0
    for email_id, key, address, subject, body, was_sending in claimed:
        outcome = _deliver(client, config, key, address, subject, body, was_sending)
        _record(db, email_id, outcome)
        sent += outcome[0] == "sent"
    return sent


def _claim(db: Database, now: datetime, batch: int) -> list[tuple]:
    with db.transaction() as session:
        query = (select(ReminderEmail)
                 .where(ReminderEmail.status.in_(("pending", "sending")),
                        or_(ReminderEmail.next_attempt_at.is_(None),
                            ReminderEmail.next_attempt_at <= now))
                 .order_by(ReminderEmail.id).limit(batch))
        if db.engine.dialect.name != "sqlite":
            query = query.with_for_update(skip_locked=True)
        rows = list(session.scalars(query))
        claimed = []
        for row in rows:
            claimed.append((row.id, row.key, row.email, row.subject, row.body,
                            row.status == "sending"))
            row.status, row.next_attempt_at = "sending", now + LEASE
        return claimed


def _deliver(client, config, key, address, subject, body, was_sending) -> tuple:
    from notifications_python_client.errors import APIError, TokenError
    try:
        if was_sending:   # a worker stopped mid-send: did Notify get it?
            found = client.get_all_notifications(reference=key).get("notifications") or []
            if found:
                return ("sent", found[0].get("id"), None)
        answer = client.send_email_notification(
            email_address=address, template_id=config.notify_template_id,
            personalisation={"subject": subject, "body": body}, reference=key)
        return ("sent", answer.get("id"), None)
    except APIError as exc:
        reason = f"{exc.status_code} {_reason(exc)}"
        if exc.status_code == 429 or exc.status_code >= 500:
            return ("retry", None, reason)
        return ("failed", None, reason)
    except TokenError as exc:     # the key itself is malformed: an administrator must fix it
        return ("failed", None, exc.message)
    except Exception as exc:      # anything else: keep the e-mail and try again later
        return ("retry", None, f"{type(exc).__name__}: {exc}"[:500])


def _reason(exc) -> str:
    message = exc.message
    if isinstance(message, list):
        return "; ".join(f"{m.get('error', '')}: {m.get('message', '')}" for m in message
                         if isinstance(m, dict)) or str(message)
    return str(message)


def _record(db: Database, email_id: int, outcome: tuple) -> None:
    status, notify_id, reason = outcome
    with db.transaction() as session:
        row = session.get(ReminderEmail, email_id)
        now = clock.now()
        if status == "sent":
            row.status, row.notify_id, row.sent_at = "sent", notify_id, now
            row.next_attempt_at, row.last_error = None, None
        elif status == "failed":
            row.status, row.last_error, row.next_attempt_at = "failed", reason[:2000], None
            row.attempts += 1
        else:
            row.attempts += 1
            row.status, row.last_error = "pending", reason[:2000]
            row.next_attempt_at = now + backoff(row.attempts)
