"""A council to measure on: a fresh SQLite (or DATABASE_URL) database with the demo pathway
published, a team and a social worker, children registered through the engine."""
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from engine import clock, publish, register_child
from engine.people import add_user, ensure_team
from models import Database
from models.migrate import upgrade
from workflows import roles
from workflows.diagrams import load_directory

ROOT = Path(__file__).resolve().parent.parent
#: Where each process measured here is kept: the shipped pathway, and the small demo diagram.
DIAGRAMS = {"permanence_pathway": ROOT / "diagrams", "demo_pathway": ROOT / "tests" / "engine" / "diagrams" / "demo"}
START = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)


def make_council(url: str | None = None, process: str = "demo_pathway") -> Database:
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='permanence-bench-')}/bench.db"
    db = Database(url)
    upgrade(db)
    clock.set_fixed(START)
    publish(db, load_directory(DIAGRAMS[process], process), "bench")
    with db.transaction() as session:
        team = ensure_team(session, "North")
        add_user(session, "sw", "Sam Worker", [roles.SOCIAL_WORKER], team)
    return db


def register(db: Database, reference: str, looked_after_on: date = date(2026, 3, 2),
             process: str = "demo_pathway"):
    return register_child(db, {
        "reference": reference, "name": f"Child {reference}", "date_of_birth": "2019-05-04",
        "legal_status": "ico", "looked_after_on": looked_after_on.isoformat(), "team": "North",
        "social_worker": "sw"}, "sw", process_id=process)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def days(n: int) -> timedelta:
    return timedelta(days=n)
