"""Slowing down password guessing: failed sign-ins are kept in the database (so every web
process, on SQLite or PostgreSQL, counts the same ones) and, past a limit in a window, the
sign-in page refuses to check any more passwords for that account or from that address
until the window has passed.

Failures are counted for the name typed whether or not such an account exists, so the
throttle cannot be used to find out which names do. Time is the wall clock, not the
application clock (which tests and training may fix or move).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select

from models import Database, SignInFailure

WINDOW = timedelta(minutes=15)
#: Failures in the window after which an account's password is no longer checked.
PER_ACCOUNT = 5
#: Failures in the window after which an address's attempts are no longer checked
#: (higher: an office behind one address has many people mistyping).
PER_ADDRESS = 30


@dataclass(frozen=True)
class Throttle:
    window: timedelta = WINDOW
    per_account: int = PER_ACCOUNT
    per_address: int = PER_ADDRESS

    def refused(self, db: Database, account: str, address: str) -> bool:
        since = _now() - self.window
        with db.reading() as session:
            by_account = session.scalar(select(func.count()).select_from(SignInFailure).where(
                SignInFailure.account == _key(account), SignInFailure.failed_at > since))
            by_address = session.scalar(select(func.count()).select_from(SignInFailure).where(
                SignInFailure.address == address, SignInFailure.failed_at > since))
        return by_account >= self.per_account or by_address >= self.per_address

    def failed(self, db: Database, account: str, address: str) -> None:
        now = _now()
        with db.transaction() as session:
            session.add(SignInFailure(account=_key(account), address=address[:64], failed_at=now))
            # Forget what has aged out, so the table stays the size of the window.
            session.execute(delete(SignInFailure).where(SignInFailure.failed_at <= now - self.window))

    def succeeded(self, db: Database, account: str) -> None:
        with db.transaction() as session:
            session.execute(delete(SignInFailure).where(SignInFailure.account == _key(account)))


def _key(account: str) -> str:
    return account.strip().lower()[:80]


def _now() -> datetime:
    return datetime.now(timezone.utc)
