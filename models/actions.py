"""Interim progress on an action set at a meeting (BCP §6: "the Permanence Tracker is updated
with progress against actions previously agreed" before the cohort's next panel: B20, D20).
Kept per action task, appended, never edited. Migration 0013."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .tables import Base
from .types import UTCDateTime


class ActionProgress(Base):
    __tablename__ = "action_progress"
    __table_args__ = (Index("ix_action_progress_task", "task_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(36))              # human_task.task_id of the action
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    noted_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    by_name: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
