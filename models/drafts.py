"""Answers typed into a task's form and not yet completed: one draft per task and user, so
that nothing typed is lost to a closed tab, a timed-out session or a break (migration 0007).

A draft with no user is one kept from a session that had expired when the form was sent:
`token` (also kept in that browser's new session) lets whoever signs in there claim it.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .tables import Base
from .types import UTCDateTime


class TaskDraft(Base):
    __tablename__ = "task_draft"
    __table_args__ = (UniqueConstraint("task_id", "user_id"),
                      Index("ix_task_draft_token", "token"))
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(36))      # human_task.task_id
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    token: Mapped[str | None] = mapped_column(String(64))
    answers: Mapped[dict] = mapped_column(JSON)            # as typed (task_form.answers_from)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
