"""Read-only reports for managers and the Permanence Panel: counts, overdue work, drift lists,
the heatmap over the diagram, the children list, the tracker and the panel's cohorts.

Every function takes the asking user's name and decides from it whose children it covers
(`scope`, after `engine.access`), so no page can count or list a child its user may not see.
They read the projections (children, pathway summaries and facts, human tasks, deadlines),
never a workflow. Nothing here writes.
"""
from dataclasses import dataclass
from datetime import date

from models import Database

from .. import clock
from ..users import user_by_name
from . import mine as _mine
from . import cohorts as _cohorts, drift as _drift, heatmap as _heatmap, overview
from .listing import COMPLETE, NO_ROUTE, PER_PAGE, ChildFilters, ChildrenPage, children_page
from .cohorts import COHORTS, PanelAgenda, agenda_monday
from .drift import KINDS as DRIFT_KINDS, DriftList
from .heatmap import Heatmap
from .mine import CHILD_LIST_ROLES
from .overview import Counts, OverdueTable, route_ids, route_text
from .running import Figures
from .scope import DASHBOARD_ROLES, PANEL_ROLES, Asker, Scope, scope_for
from .tracker import tracker_rows
from . import performance as _performance, tracking as _tracking
from .performance import Performance
from .tracking import BANDS as TRACKING_BANDS, TrackingMeeting

__all__ = [
    "CHILD_LIST_ROLES", "COHORTS", "COMPLETE", "DASHBOARD_ROLES", "DRIFT_KINDS", "NO_ROUTE", "PANEL_ROLES", "PER_PAGE",
    "ChildFilters", "ChildrenPage", "Counts", "Dashboard", "DriftList", "Heatmap", "OverdueTable",
    "PanelAgenda", "Scope", "agenda_monday", "children", "dashboard", "diagram", "drift_list",
    "panel", "route_ids", "route_text", "tracker_rows",
    "Performance", "TRACKING_BANDS", "TrackingMeeting", "performance", "tracking_meeting",
]

#: Rows of each drift list the dashboard shows (the full lists have pages of their own).
DASHBOARD_DRIFT_ROWS = 10


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    today: date
    counts: Counts
    overdue_tasks: OverdueTable
    overdue_deadlines: OverdueTable
    drift: list[DriftList]
    heatmap: Heatmap | None


def dashboard(db: Database, user: "str | Asker", main_process: str,
              process_id: str | None = None) -> Dashboard:
    """Everything on the manager's dashboard, in one read: the figures from the running
    figures (constant time), the first rows of each drift list from its index. `user`: a
    username, or the signed-in user as the request read them (`scope_for`)."""
    with db.reading() as session:
        scope = scope_for(session, user, DASHBOARD_ROLES)
        today = clock.today()
        figures = Figures(session, scope, today)
        tasks, deadlines = figures.overdue()
        return Dashboard(
            scope, today, figures.counts(), tasks, deadlines,
            _first_pages(session, scope, figures, today),
            _heatmap.heatmap(session, scope, main_process, process_id,
                             counted=figures.open_tasks_by_element))


def _first_pages(session, scope: Scope, figures: Figures, today: date) -> list[DriftList]:
    """The first rows of every drift list, in one statement, with their totals (figures)."""
    return _drift.pages(session, scope, {key: (figures.drift_total(key), 0, DASHBOARD_DRIFT_ROWS)
                                         for key in _drift.KINDS}, today)


def recounted(session, scope: Scope, main_process: str, today: date) -> Dashboard:
    """The dashboard's figures counted over the projections (what the running figures must
    equal: `engine.figures.check`)."""
    tasks, deadlines = overview.overdue(session, scope, today)
    return Dashboard(
        scope, today, overview.counts(session, scope), tasks, deadlines,
        [_drift.counted(session, scope, key, today, 0, DASHBOARD_DRIFT_ROWS)
         for key in _drift.KINDS],
        _heatmap.heatmap(session, scope, main_process))


def from_figures(session, scope: Scope, main_process: str, today: date) -> Dashboard:
    """The same figures read from the running figures and drift entries."""
    figures = Figures(session, scope, today)
    tasks, deadlines = figures.overdue()
    return Dashboard(
        scope, today, figures.counts(), tasks, deadlines,
        _first_pages(session, scope, figures, today),
        _heatmap.heatmap(session, scope, main_process, counted=figures.open_tasks_by_element))


def drift_list(db: Database, username: str, key: str, page: int = 1) -> tuple[DriftList, int, int]:
    """One drift list in full, a page at a time: (the page, page number, pages)."""
    with db.reading() as session:
        scope = scope_for(session, username, DASHBOARD_ROLES)
        today = clock.today()
        total = Figures(session, scope, today).drift_total(key)
        pages = max(1, -(-total // PER_PAGE))
        page = min(max(page, 1), pages)
        found = _drift.drift(session, scope, key, today, (page - 1) * PER_PAGE, PER_PAGE,
                             total=total)
        return found, page, pages


def children(db: Database, username: str, filters: ChildFilters, page: int = 1,
             only_mine: bool = False) -> ChildrenPage:
    """The children list. `only_mine` narrows it to the user's own children (`mine`) unless
    they are searching: a search looks across every child they may see."""
    with db.reading() as session:
        user = user_by_name(session, username)
        scope = _mine.child_scope(user)
        narrow = _mine.mine(user) if only_mine and not filters.search.strip() else ()
        return children_page(session, scope, filters, page, clock.today(), narrow)


def diagram(db: Database, username: str, main_process: str, process_id: str | None = None) -> str:
    """The BPMN of one process of the latest version, for the heatmap."""
    with db.reading() as session:
        scope_for(session, username, DASHBOARD_ROLES)
        return _heatmap.diagram_xml(session, main_process, process_id)


def cohort_title(key: str) -> str:
    from workflows.panel_settings import COHORTS as TITLES
    return TITLES[key]


def panel(db: Database, username: str, panel_date: date) -> PanelAgenda:
    with db.reading() as session:
        scope = scope_for(session, username, PANEL_ROLES)
        return _cohorts.panel_agenda(session, scope, panel_date)


def performance(db: Database, username: str, start: date, end: date) -> Performance:
    """The performance indicators over a period, for the teams the user may see (I3, I4)."""
    with db.reading() as session:
        scope = scope_for(session, username, DASHBOARD_ROLES)
        return _performance.performance(session, scope, start, end, clock.today())


def tracking_meeting(db: Database, username: str, band: str, meeting_on: date) -> TrackingMeeting:
    """A tracking meeting's children in one age band, by team (I5, I6)."""
    with db.reading() as session:
        scope = scope_for(session, username, DASHBOARD_ROLES)
        return _tracking.tracking_meeting(session, scope, band, meeting_on)
