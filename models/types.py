"""Column types shared by the tables.

Instants are stored in UTC and always come back timezone-aware, on SQLite (which keeps
no zone) as on PostgreSQL, so no code ever compares a naive time with an aware one.
"""
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store instants as aware UTC")
        value = value.astimezone(timezone.utc)
        # SQLite compares text: keep one fixed format so `next_due_at <= now` is correct.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
