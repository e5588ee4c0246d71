"""The child's case details kept as versions (identity and needs, family time, the siblings'
together-or-apart assessment), the sibling groups, and a projection for lists and inboxes.

Versions are never updated or deleted: a change is a new version. A child leaves a sibling
group by a link being ended (`removed_at`), never by a row going. `child_casework` is a
projection, rewritten by `engine.casework` whenever a version or link is written.
"""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .tables import Base, User
from .types import UTCDateTime


class SiblingGroup(Base):
    __tablename__ = "sibling_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SiblingLink(Base):
    """A child's membership of a sibling group, from when it was recorded until it ended."""
    __tablename__ = "sibling_link"
    __table_args__ = (Index("ix_sibling_link_group", "group_id", "removed_at"),
                      Index("ix_sibling_link_child", "child_id", "removed_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("sibling_group.id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    removed_reason: Mapped[str | None] = mapped_column(Text)


class CaseDetailVersion(Base):
    """One version of one section of case details. `subject` is `child-<id>` or
    `siblings-<group id>`; the unique (subject, section, version) stops two people writing
    the same next version at once."""
    __tablename__ = "case_detail_version"
    __table_args__ = (UniqueConstraint("subject", "section", "version",
                                       name="uq_case_detail_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(40))
    section: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"))
    sibling_group_id: Mapped[int | None] = mapped_column(ForeignKey("sibling_group.id"))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    recorded_by: Mapped[User | None] = relationship()


class ChildCasework(Base):
    """What lists, filters and the inbox need from the case details, one row per child."""
    __tablename__ = "child_casework"
    __table_args__ = (Index("ix_child_casework_family_time_due", "family_time_review_due_on"),)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), primary_key=True)
    sibling_group_id: Mapped[int | None] = mapped_column(ForeignKey("sibling_group.id"), index=True)
    uasc: Mapped[bool] = mapped_column(Boolean, default=False)
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    out_of_area: Mapped[bool] = mapped_column(Boolean, default=False)
    family_time_review_due_on: Mapped[date | None] = mapped_column(Date)
