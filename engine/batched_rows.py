"""Append-only rows (the audit trail, the outbox) written in one statement per table for a
whole unit of work, instead of one ORM object, flush and RETURNING each.

The timer sweep fires twenty pathways in one transaction and each writes several such rows;
nothing reads them back before the commit, so they are gathered here and inserted together
(executemany, no RETURNING) in the same transaction, in the order they were recorded.
Outside `gathered` (every page, the import, the CLI) rows go through the session as before.
"""
import contextlib

from sqlalchemy import insert
from sqlalchemy.orm import Session

_KEY = "permanence_batched_rows"


@contextlib.contextmanager
def gathered(session: Session):
    """Rows recorded inside are held, and written by `write` (or dropped if it fails)."""
    session.info[_KEY] = {}
    try:
        yield
    finally:
        session.info.pop(_KEY, None)


def hold(session: Session, model, values: dict) -> bool:
    """Hold one row of `model` if the session gathers; False if the caller must add it."""
    held = session.info.get(_KEY)
    if held is None:
        return False
    held.setdefault(model, []).append(values)
    return True


def write(session: Session) -> None:
    """Insert what is held, one executemany per table, and hold nothing more."""
    held = session.info.get(_KEY) or {}
    conn = session.connection()
    for model, rows in held.items():
        if rows:   # the table's own INSERT: the ORM's bulk path costs more than the rows
            conn.execute(insert(model.__table__), rows)
    held.clear()
