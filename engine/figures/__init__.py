"""The dashboards' running figures (models.figures): kept in step with every write by
`tracking`, counted again and compared by `check`, folded daily by the timer worker."""
import json

from models import Database

from .. import clock
from . import tracking  # noqa: F401  (installs the session events)
from .tracking import read_before  # noqa: F401  (for writers that update pathway rows themselves)
from .contributions import KINDS  # noqa: F401
from .store import as_rows, current_basis, entry_rows, fold, normalised, rebuild, recount, stored


def basis() -> str:
    """What the figures were counted under: the council settings drift depends on."""
    from workflows.local_settings import setting
    return json.dumps({name: setting(name) for name in (
        "s20_drift_weeks", "review_ppm_weeks", "initial_ppm_working_days")}, sort_keys=True)


def ensure(db: Database) -> bool:
    """Count the figures if they never were, or were under other settings; True if it did."""
    with db.transaction() as session:
        conn = session.connection()
        if current_basis(conn) == basis():
            return False
        rebuild(conn, basis(), clock.today())
        return True


def rebuild_all(db: Database) -> int:
    with db.transaction() as session:
        return rebuild(session.connection(), basis(), clock.today())


def fold_past(db: Database) -> int:
    """Fold the days that have passed (the worker does it each sweep: cheap when done)."""
    with db.transaction() as session:
        return fold(session.connection(), clock.today())


def differences(db: Database, limit: int = 20) -> list[str]:
    """Each figure whose kept count differs from a full recount, as text; [] when all agree."""
    today = clock.today()
    with db.reading() as session:
        conn = session.connection()
        entries: list[dict] = []
        kept, counted = normalised(stored(conn), today), normalised(recount(conn, entries), today)
        kept_basis = current_basis(conn)
        kept_entries, counted_entries = entry_rows(conn), as_rows(entries)
    found = []
    if kept_basis not in (None, basis()):
        found.append("the figures were counted under other settings: rebuild them")
    for key in sorted(kept.keys() | counted.keys()):
        if kept.get(key, 0) != counted.get(key, 0):
            kind, team, name, day = key
            found.append(f"{kind} team {team} {name!r} from {day}: kept {kept.get(key, 0)}, "
                         f"counted {counted.get(key, 0)}")
    for row in sorted((kept_entries - counted_entries) + (counted_entries - kept_entries), key=str):
        found.append(f"drift entry {row}: kept {kept_entries[row]}, counted {counted_entries[row]}")
    return found[:limit] + ([f"... and {len(found) - limit} more"] if len(found) > limit else [])


def dashboard_differences(db: Database, main_process: str) -> list[str]:
    """The dashboard as every scope sees it (every team, and each team), from the running
    figures and counted over the projections by the reports' own queries: what differs."""
    from models import Team
    from sqlalchemy import select
    from ..reporting import from_figures, recounted
    from ..reporting.scope import DASHBOARD_ROLES, Scope
    today = clock.today()
    found = []
    with db.reading() as session:
        teams = session.execute(select(Team.id, Team.name).order_by(Team.id)).all()
        for team_id, name in [(None, "every team"), *teams]:
            scope = Scope(team_id, None if team_id is None else name, DASHBOARD_ROLES)
            kept = from_figures(session, scope, main_process, today)
            counted = recounted(session, scope, main_process, today)
            for part in ("counts", "overdue_tasks", "overdue_deadlines"):
                if getattr(kept, part) != getattr(counted, part):
                    found.append(f"{name}: {part}: kept {getattr(kept, part)}, "
                                 f"counted {getattr(counted, part)}")
            for a, b in zip(kept.drift, counted.drift):
                if (a.total, a.rows) != (b.total, b.rows):
                    found.append(f"{name}: drift {a.kind.key}: kept {a.total} {a.rows}, "
                                 f"counted {b.total} {b.rows}")
            if (kept.heatmap and kept.heatmap.counts) != (counted.heatmap and counted.heatmap.counts):
                found.append(f"{name}: heatmap: kept {kept.heatmap.counts}, "
                             f"counted {counted.heatmap.counts}")
    return found


def check(db: Database, main_process: str) -> list[str]:
    """Every difference between the running figures and a full recount: [] when right."""
    return differences(db) + dashboard_differences(db, main_process)
