"""The web during a backlog of timers (issue 15 section 4).

pages_during_backlog_rps (prefixed sqlite_ or postgresql_): page requests answered a second
  (inbox, dashboard, a child's page, each signed in as its user, one after another in one
  client) while the timer worker works through 5,000 pathways whose timers are all due.
backlog_fired_per_s: pathways the worker fired a second meanwhile.

The 5,000 are copies of a child registered through the engine: its pathway row, open tasks
and clocks, with every task id in the workflow's state made new, so each copy is a pathway
of its own that the sweep opens, fires and saves like any other.
"""
import re
import threading
import time
import uuid
from datetime import date

from sqlalchemy import insert, select

from engine import clock, figures
from engine.people import add_user
from engine.sweep import sweep
from models import Child, Database, Deadline, HumanTask, PathwayInstance
from web import create_app
from web.settings import Settings
from workflows import roles

from .common import START, council, days, register
from .mixed import signed_in

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SECONDS = 10


def fill_due(db: Database, due: int) -> int:
    """`due` pathways whose timers are due at START + 16 days (the initial PPM's escalation);
    returns a child id to show pages of."""
    template = register(db, "TEMPLATE")
    with db.transaction() as session:
        add_user(session, "hos", "Hal Head", [roles.HEAD_OF_SERVICE])
        row = session.get(PathwayInstance, template.outcome.instance_id)
        # The copies are another social worker's: the pages asked for are a caseload's own.
        other = add_user(session, "sw_backlog", "Bea Backlog", [roles.SOCIAL_WORKER],
                         row.child.team)
        session.flush()
        pathway = {c: getattr(row, c) for c in (
            "diagram_version_id", "state", "status", "stage", "route", "next_due_at", "facts",
            "started_at", "updated_at")}
        child = {c: getattr(row.child, c) for c in (
            "date_of_birth", "legal_status", "looked_after_on", "team_id", "created_at")}
        child["social_worker_id"] = other.id
        tasks = [{**_columns(t), "assignee_id": other.id if t.assignee_id else None}
                 for t in session.scalars(select(HumanTask).where(HumanTask.instance_id == row.id))]
        clocks = [_columns(d) for d in session.scalars(select(Deadline).where(
            Deadline.instance_id == row.id))]
    ids = set(_UUID.findall(pathway["state"]))
    with db.engine.begin() as conn:
        for start in range(0, due, 500):
            size = min(500, due - start)
            child_ids = conn.execute(insert(Child).returning(Child.id, sort_by_parameter_order=True), [
                {**child, "reference": f"DUE-{start + i:05}", "name": f"Child {start + i:05}"}
                for i in range(size)]).scalars().all()
            new = [{old: str(uuid.uuid4()) for old in ids} for _ in child_ids]
            instance_ids = conn.execute(
                insert(PathwayInstance).returning(PathwayInstance.id, sort_by_parameter_order=True),
                [{**pathway, "child_id": c, "version": 1,
                  "state": _UUID.sub(lambda m, mapping=mapping: mapping.get(m.group(0), m.group(0)),
                                     pathway["state"])}
                 for c, mapping in zip(child_ids, new)]).scalars().all()
            conn.execute(insert(HumanTask), [
                {**t, "task_id": mapping.get(t["task_id"], t["task_id"]), "instance_id": i, "child_id": c}
                for c, i, mapping in zip(child_ids, instance_ids, new) for t in tasks])
            conn.execute(insert(Deadline), [
                {**d, "key": mapping.get(d["key"], d["key"]), "instance_id": i, "child_id": c}
                for c, i, mapping in zip(child_ids, instance_ids, new) for d in clocks])
    figures.rebuild_all(db)   # the copies bypassed the unit of work that keeps them
    db.maintain_statistics()
    return template.child_id


def _columns(row) -> dict:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "id"}


class Backlog:
    """The timer worker's sweep in a thread of its own, stopped between two claims."""

    def __init__(self, db: Database):
        self.stop, self.reports = threading.Event(), []
        self.thread = threading.Thread(target=lambda: self.reports.append(sweep(db, stop=self.stop)))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()

    @property
    def fired(self) -> int:
        return sum(r.instances for r in self.reports)


def pages(app, child_id: int):
    """The pages asked for meanwhile, each with a client signed in as its user: a social
    worker's inbox and child (the 5,000 are a colleague's), the dashboard over them all."""
    return [(signed_in(app, "sw"), "/inbox"), (signed_in(app, "hos"), "/dashboard"),
            (signed_in(app, "sw"), f"/children/{child_id}")]


def due_remaining(db: Database) -> int:
    with db.reading() as session:
        return len(session.scalars(select(PathwayInstance.id).where(
            PathwayInstance.next_due_at <= clock.now(), PathwayInstance.status == "active")).all())


def run(url: str | None = None, due: int = 5_000) -> dict:
    with council(url, "bench_backlog") as db:
        child_id = fill_due(db, due)
        clock.set_fixed(START + days(16))
        app = create_app(Settings(database_url=db.url, secret_key="bench",
                                  process_id="demo_pathway", clock=(START + days(16)).isoformat()),
                         db=db)
        answered, statuses = 0, set()
        asked = pages(app, child_id)
        with Backlog(db) as backlog:
            started = time.perf_counter()
            while time.perf_counter() - started < SECONDS:
                client, path = asked[answered % len(asked)]
                statuses.add(client.get(path).status_code)
                answered += 1
            elapsed = time.perf_counter() - started
        assert statuses == {200}, statuses
        prefix = "postgresql" if db.is_postgresql else "sqlite"
        return {f"{prefix}_pages_during_backlog_rps": round(answered / elapsed, 1),
                "backlog_fired_per_s": round(backlog.fired / elapsed, 1),
                "backlog_due": due}
