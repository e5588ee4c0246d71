"""A council to measure on: a fresh SQLite (or DATABASE_URL) database with the demo pathway
published, a team and a social worker, children registered through the engine."""
import contextlib
import shutil
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

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


@contextlib.contextmanager
def council(server_url: str | None, name: str, process: str = "demo_pathway"):
    """A council on a database of its own, removed afterwards whatever happens: a new SQLite
    file in a temporary folder, or a new database `name` on the PostgreSQL server at
    `server_url` (two benchmarks never build their councils in one database)."""
    url = _create_database(server_url, name)
    db = make_council(url, process)
    try:
        yield db
    finally:
        db.dispose()
        clock.reset()
        _drop_database(server_url, url, name)


def _create_database(server_url: str | None, name: str) -> str:
    if server_url is None:
        return f"sqlite:///{tempfile.mkdtemp(prefix='permanence-bench-')}/{name}.db"
    with _server(server_url) as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _drop_database(server_url: str | None, url: str, name: str) -> None:
    """The SQLite file of 100,000 pathways is gigabytes: never left behind."""
    if server_url is None:
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
        return
    with _server(server_url) as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@contextlib.contextmanager
def _server(server_url: str):
    database = Database(server_url)
    try:
        with database.engine.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")
    finally:
        database.dispose()


def make_council(url: str, process: str = "demo_pathway") -> Database:
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
