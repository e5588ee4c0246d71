"""Reminders by e-mail (issue 14 section 5): each person's choice, the reminders due to them,
and the e-mails made of those reminders, kept as an outbox the worker sends from. Migration
0011.

A `Reminder` is one fact worth telling one person once (a task for them, due soon, overdue,
an escalation): unique per person, kind and task, so a second sweep cannot make it again. A
`ReminderEmail` is what is sent: one reminder, or a day's digest of them; unique by `key`,
so a message is composed once, and its status says whether it was sent, is waiting to be
retried, failed for good (with Notify's reason) or is kept here because Notify is not set up.
"""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .tables import Base, User
from .types import UTCDateTime


class ReminderSettings(Base):
    """A person's address for reminders and how often they want them: `each` (a message per
    reminder), `digest` (one a day) or `none`. No row, or no address: no e-mail."""
    __tablename__ = "reminder_settings"
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254))
    frequency: Mapped[str] = mapped_column(String(10), default="each")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ReminderEmail(Base):
    """An e-mail to one person. `key` is `each:<reminder id>` or `digest:<user id>:<date>`."""
    __tablename__ = "reminder_email"
    __table_args__ = (Index("ix_reminder_email_status", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # pending (to send, or to retry at next_attempt_at), sending, sent, failed, kept
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    notify_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class Reminder(Base):
    """One thing to tell one person once. `email_id` is set when it is put in an e-mail;
    `status` is waiting, composed, or skipped (the task closed, or the person may no longer
    see the child, before it was sent)."""
    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("user_id", "kind", "task_id"),
                      Index("ix_reminder_waiting", "status", "user_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(20))    # task_assigned, due_soon, overdue, escalation
    task_id: Mapped[str] = mapped_column(String(64))
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    email_id: Mapped[int | None] = mapped_column(ForeignKey("reminder_email.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReminderProgress(Base):
    """How far the reminder writer has read the outbox (one row, id 1)."""
    __tablename__ = "reminder_progress"
    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_through: Mapped[int] = mapped_column(Integer, default=0)
    scanned_on: Mapped[date | None] = mapped_column(Date)   # the day due dates were last scanned
    #: the London hour the panel calendar was last read for notices (0021), e.g. 2026-06-29T14
    panel_hour: Mapped[str | None] = mapped_column(String(13))


class PanelNotice(Base):
    """One piece of panel business to tell one person once (issue 11 §1, §7; migration 0021):
    an invitation for a child, the list of children, the agenda out, papers missing. Unique per
    person, kind, panel date and `item` (`child:<id>` for a child's own notice, `""` for a
    panel's), so no sweep or second worker writes it twice. `text` is what the e-mail says of
    it; `child_id` is checked again (`engine.access`) before it is sent. `status` and
    `email_id` as a `Reminder`'s."""
    __tablename__ = "panel_notice"
    __table_args__ = (UniqueConstraint("user_id", "kind", "panel_date", "item"),
                      Index("ix_panel_notice_waiting", "status", "user_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(20))    # invitation, children_list, agenda, papers, service_papers
    panel_date: Mapped[date] = mapped_column(Date)
    item: Mapped[str] = mapped_column(String(40), default="")
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    email_id: Mapped[int | None] = mapped_column(ForeignKey("reminder_email.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
