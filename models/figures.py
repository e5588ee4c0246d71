"""The dashboards' running figures (0018): what the managers' dashboard counts, kept as it
changes instead of counted over every child on each request.

Each row is a count that applies from `day` on: a figure's value today is the sum of its
rows with `day <= today`. Most figures apply always (`day` = ALWAYS: children by stage and
route, missed clocks, open tasks per step); overdue work applies from the day after its due
date, and a list a child leaves on a known day (section 20 drift ends at 17) has a row of
-1 from that day. So figures that depend on today's date stay right as days pass without
anything being rewritten, and reading them is one grouped scan of a small table.
"""
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .tables import Base

#: The `day` of a figure that applies whatever the date.
ALWAYS = date(1, 1, 1)


class DashboardFigure(Base):
    __tablename__ = "dashboard_figure"
    __table_args__ = (UniqueConstraint("kind", "team_id", "key", "day",
                                       name="uq_dashboard_figure_key"),
                      Index("ix_dashboard_figure_day", "day", "team_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))        # engine.figures.contributions.KINDS
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))   # None: the basis row
    key: Mapped[str] = mapped_column(String(400))        # stage|route, rule, version|step
    day: Mapped[date] = mapped_column(Date)
    n: Mapped[int] = mapped_column(Integer)

#: The `until` of a drift entry that does not end on a known day.
FOREVER = date(9999, 12, 31)


class DriftEntry(Base):
    """A child on a drift list from `since` until the day before `until`, shown with the
    date `shown` (the date the list is in order of) and `detail`. Kept with the running
    figures, one set per pathway, so a list's first page is read along an index."""
    __tablename__ = "drift_entry"
    __table_args__ = (Index("ix_drift_entry_list", "list", "shown", "child_id"),
                      Index("ix_drift_entry_team", "list", "team_id", "shown", "child_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    list: Mapped[str] = mapped_column(String(20))          # engine.reporting.drift.KINDS
    instance_id: Mapped[int] = mapped_column(ForeignKey("pathway_instance.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    shown: Mapped[date] = mapped_column(Date)
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date] = mapped_column(Date)
    detail: Mapped[str] = mapped_column(String(200))
