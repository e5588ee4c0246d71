"""The child's record: what each completed task's form collected, kept as the record of the
child (DESIGN.md "Growing it"), never only an audit detail.

A row is one revision. A correction adds a row pointing at the one it corrects
(`previous_id`) with a reason; no row is ever updated or deleted, so the current record is
the revision nothing points at.
"""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .tables import Base, User
from .types import UTCDateTime


class TaskRecord(Base):
    __tablename__ = "task_record"
    __table_args__ = (
        UniqueConstraint("task_id", "revision"),
        Index("ix_task_record_child_kind", "child_id", "kind", "completed_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    instance_id: Mapped[int] = mapped_column(ForeignKey("pathway_instance.id"))
    human_task_id: Mapped[int | None] = mapped_column(ForeignKey("human_task.id"))
    task_id: Mapped[str] = mapped_column(String(36))         # the workflow task's id
    bpmn_id: Mapped[str] = mapped_column(String(120))
    task_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40))             # ppm, cla_review, panel, ... (engine.records)
    # The form as answered (file name, JSON Schema, UI schema): an old record still reads
    # after a process owner changes the form.
    form: Mapped[dict] = mapped_column(JSON, default=dict)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    # What the task was about that the form did not ask (a panel action being completed).
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)   # when the task was done
    completed_by_name: Mapped[str] = mapped_column(String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(120))    # this revision's author
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)    # this revision's time
    due_on: Mapped[date | None] = mapped_column(Date)
    rule: Mapped[str | None] = mapped_column(String(10))
    on_time: Mapped[bool | None] = mapped_column(Boolean)         # None: the task had no due date
    revision: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str | None] = mapped_column(Text)              # why this revision was made
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("task_record.id"), index=True)

    recorded_by: Mapped[User | None] = relationship()
