"""Actions owned by a member of staff, and the progress noted on them.

- `PpmAction`: an action agreed at a PPM (A5) or asked for on the plan (C12), with a due date:
  work for its owner, escalated to the owner's team manager when the due date passes. Kept
  apart from the workflow: an action outlives the PPM that set it (the planning process ends
  when a plan is identified), and its owner may be in another team. Migration 0016.
- `ActionProgress`: interim progress on a panel action (BCP §6: "the Permanence Tracker is
  updated with progress against actions previously agreed" before the cohort's next panel:
  B20, D20), kept per action task, appended, never edited. Migration 0013.
"""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .tables import Base, Child, Team, User
from .types import UTCDateTime


class PpmAction(Base):
    __tablename__ = "ppm_action"
    __table_args__ = (
        Index("ix_ppm_action_open", "status", "due_on"),
        Index("ix_ppm_action_owner", "owner_id", "status"),
        Index("ix_ppm_action_child", "child_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("task_record.id"))   # the PPM that set it
    source: Mapped[str] = mapped_column(String(40))          # "PPM", "Assessment requested"
    set_on: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")   # open, done
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_note: Mapped[str | None] = mapped_column(Text)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Missed: the owner's team manager is told once, and records what was agreed.
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_to_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    escalation_note: Mapped[str | None] = mapped_column(Text)
    escalation_handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalation_handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    child: Mapped[Child] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])
    escalated_to_team: Mapped[Team | None] = relationship()


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
