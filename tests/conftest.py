"""Fixtures shared by the suite: the two databases (a SQLite file and a real PostgreSQL
server), the clock, and a council with the demo pathway published."""
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from engine import clock, publish
from engine.people import add_user, ensure_team
from engine.specs import clear_cache
from models import Base, Database
from models.migrate import upgrade
from workflows import roles
from workflows.diagrams import load_directory

from .postgresql import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
DIAGRAMS = ROOT / "diagrams"
#: The small diagram the engine's mechanics are tested on (the shipped pathway is tested by
#: tests/scenarios).
DEMO_DIAGRAMS = ROOT / "tests" / "engine" / "diagrams" / "demo"


@pytest.fixture(scope="session")
def postgres_url():
    server = PostgresServer()
    url = server.start()  # raises with the server log: a PostgreSQL test fails, never skips
    try:
        db = Database(url)
        upgrade(db)
        db.dispose()
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """Migrated once; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


def _database(kind, request, tmp_path, sqlite_template):
    if kind == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        database = Database(f"sqlite:///{path}")
    else:
        database = Database(request.getfixturevalue("postgres_url"))
        with database.engine.begin() as conn:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    clear_cache()
    return database


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path, sqlite_template):
    """An empty, migrated database of each kind."""
    database = _database(request.param, request, tmp_path, sqlite_template)
    yield database
    database.dispose()


@pytest.fixture
def pg_db(request, tmp_path, sqlite_template):
    """PostgreSQL only: for what SQLite cannot show (concurrent writers, SKIP LOCKED)."""
    database = _database("postgresql", request, tmp_path, sqlite_template)
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def fixed_clock():
    """Every test starts on Monday 2 March 2026, 09:00 London, and leaves the clock as found."""
    clock.set_fixed(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    yield
    clock.reset()


def set_clock(year, month, day, hour=9, minute=0):
    clock.set_fixed(datetime(year, month, day, hour, minute, tzinfo=clock.LONDON))


@pytest.fixture
def council(db):
    """The demo pathway published, two teams, and one user per role that the tests need."""
    return make_council(db)


@pytest.fixture
def pg_council(pg_db):
    return make_council(pg_db)


def make_council(db):
    publish(db, load_directory(DEMO_DIAGRAMS, "demo_pathway"), "tests")
    with db.transaction() as session:
        north, south = ensure_team(session, "North"), ensure_team(session, "South")
        add_user(session, "sw", "Sam Worker", [roles.SOCIAL_WORKER], north)
        add_user(session, "sw2", "Sue Second", [roles.SOCIAL_WORKER], north)
        add_user(session, "tm", "Tina Manager", [roles.TEAM_MANAGER], north)
        add_user(session, "sw_south", "Sid South", [roles.SOCIAL_WORKER], south)
        add_user(session, "tm_south", "Tom South", [roles.TEAM_MANAGER], south)
        add_user(session, "iro", "Ivy Reviewer", [roles.IRO])
        add_user(session, "po", "Pam Owner", [roles.PROCESS_OWNER])
        add_user(session, "admin", "Ada Admin", [roles.ADMINISTRATOR])
        gone = add_user(session, "gone", "Gus Gone", [roles.SOCIAL_WORKER], north)
        gone.active = False
    return db


def child_details(**overrides) -> dict:
    details = {"reference": "C-001", "name": "Alex Example", "date_of_birth": "2019-05-04",
               "legal_status": "ico", "looked_after_on": "2026-03-02", "team": "North",
               "social_worker": "sw"}
    details.update(overrides)
    return details


def council_settings(monkeypatch, tmp_path, values: dict) -> None:
    """Run the test under a council's own settings file (PERMANENCE_LOCAL_SETTINGS)."""
    import json

    from workflows import local_settings
    path = tmp_path / "council-settings.json"
    path.write_text(json.dumps(values))
    monkeypatch.setenv("PERMANENCE_LOCAL_SETTINGS", str(path))
    local_settings._overrides.cache_clear()
    monkeypatch.setattr(local_settings, "_overrides", local_settings._overrides)


@pytest.fixture
def every_cohort_weekly(monkeypatch, tmp_path):
    """A council whose panel discusses all five BCP cohorts every Thursday (no rotation)."""
    council_settings(monkeypatch, tmp_path, {"panel": {"rotation": [], "starts_at": "10:00"}})
    yield
    from workflows import local_settings
    local_settings._overrides.cache_clear()
