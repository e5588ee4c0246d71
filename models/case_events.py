"""Case events and the placement history: what changes in a child's case outside the
pathway (proceedings issued, legal status, placements, missing episodes, disruptions).

Written only by `engine.case_events.deliver_event`, in the transaction that delivers the
event to the child's pathway. Append-only, like the audit trail: a placement that ends gets
its `ended_on`, nothing else is changed.
"""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .tables import Base, User
from .types import UTCDateTime


class CaseEvent(Base):
    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_child", "child_id", "occurred_on", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_instance.id"))
    kind: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date)
    data: Mapped[dict] = mapped_column(JSON, default=dict)        # as checked, dates ISO
    # The BPMN message it was delivered as, and the diagram elements that caught it (none:
    # recorded as a fact only, where no diagram listens).
    message: Mapped[str] = mapped_column(String(60))
    caught_by: Mapped[list] = mapped_column(JSON, default=list)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    recorded_by: Mapped[User | None] = relationship()


class Placement(Base):
    """Where and with whom a child lives, from one date to another (D22, D23, E4)."""
    __tablename__ = "placement"
    __table_args__ = (Index("ix_placement_child", "child_id", "started_on", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    case_event_id: Mapped[int] = mapped_column(ForeignKey("case_event.id"))
    placement_type: Mapped[str] = mapped_column(String(40))
    carers: Mapped[str] = mapped_column(Text, default="")
    area: Mapped[str] = mapped_column(String(20))          # local, out_of_area
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(40))   # moved, disruption, returned_home
