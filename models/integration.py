"""The tables that connect the service to other systems: the outbox of changes worth
telling (the event feed, webhooks, reminders read it), the API's tokens, and the answers
kept for idempotent writes. Migration 0010."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .tables import Base, User
from .types import UTCDateTime


class OutboxEvent(Base):
    """Append-only: a change worth telling another system or a person about, written in the
    same transaction as the change (engine/outbox.py). Its id is the feed's cursor and the
    id a receiver de-duplicates on; `team_id` scopes it as the child is scoped."""
    __tablename__ = "outbox_event"
    __table_args__ = (Index("ix_outbox_event_team", "team_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_instance.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)


class ApiToken(Base):
    """A case-management system's key to the API. Only the SHA-256 of the token is kept; the
    token acts as its own service user (`user_id`, no password), whose roles engine.access
    applies, narrowed to `teams` (None: every team) and `scopes` (space-separated)."""
    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))      # shown in lists, to tell tokens apart
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    scopes: Mapped[str] = mapped_column(String(255))
    teams: Mapped[list | None] = mapped_column(JSON)     # team ids, or None for every team
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class IdempotentResponse(Base):
    """The answer given to a write with an `Idempotency-Key`, replayed for the same key and
    body, refused for the same key with another body. Keys are per token."""
    __tablename__ = "api_idempotency"
    __table_args__ = (UniqueConstraint("token_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookSubscription(Base):
    """A system's webhook: the outbox delivered to `url` in order, signed with `secret`
    (HMAC-SHA256 needs the secret itself, so it is kept; it is shown once). `delivered_through`
    is the last outbox id delivered; a failure waits until `next_attempt_at` (back-off)."""
    __tablename__ = "webhook_subscription"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    kinds: Mapped[list | None] = mapped_column(JSON)     # None: every kind
    delivered_through: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
