"""Each person's e-mail address for reminders and how often they want them. An
administrator sets both (the staff page, `permanence user reminders`); each person may
change how often on their own page (/account/reminders). Changes are audited."""
import re

from sqlalchemy import select

from models import Database, ReminderSettings, User

from .. import audit, clock
from ..errors import FormInvalid, NotFound

FREQUENCIES = {
    "each": "An e-mail for each reminder",
    "digest": "One e-mail a day with all the reminders (a daily digest)",
    "none": "No e-mails (the inbox only)",
}
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
REMINDERS_CHANGED = "reminders_changed"


def reminder_settings(db: Database, username: str) -> dict:
    with db.reading() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"There is no account called {username}")
        row = session.get(ReminderSettings, user.id)
        return {"email": row.email if row else None,
                "frequency": row.frequency if row else "each"}


def set_reminder_settings(db: Database, actor: str | None, username: str, *,
                          frequency: str, email: str | None = ..., ) -> None:
    """Set how often (and, when `email` is given, the address: blank removes it)."""
    data = {"frequency": frequency, **({} if email is ... else {"email": email})}
    errors = {}
    if frequency not in FREQUENCIES:
        errors["frequency"] = ["Choose how often to be sent reminders"]
    if email is not ...:
        email = (email or "").strip()
        if email and (len(email) > 254 or not EMAIL.fullmatch(email)):
            errors["email"] = ["Enter an e-mail address in the right format, like name@council.gov.uk"]
    if errors:
        raise FormInvalid(errors, data)
    with db.transaction() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"There is no account called {username}")
        row = session.get(ReminderSettings, user.id)
        if row is None:
            row = ReminderSettings(user_id=user.id, frequency="each")
            session.add(row)
        row.frequency = frequency
        if email is not ...:
            row.email = email or None
        row.updated_at = clock.now()
        who = session.scalar(select(User).where(User.username == actor)) if actor else None
        audit.record(session, REMINDERS_CHANGED, clock.now(), actor=who, username=username,
                     frequency=frequency, email_changed=email is not ...)
