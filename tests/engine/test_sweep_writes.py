"""The sweep's writes and reads stay proportional to the batch at council scale: the batch's
pathway rows are written in one version-checked statement that finds each row by its key
(no scan of the table), checked before any projection row; the idle probe walks the due
index even in PostgreSQL's generic plan for a prepared statement."""
import importlib
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm.exc import StaleDataError

from engine import register_child, sweep
from models import AuditEvent, Child, HumanTask, PathwayInstance

from ..conftest import child_details, set_clock
from .helpers import audit_kinds

sweep_module = importlib.import_module("engine.sweep")   # engine.sweep is also the function
batched_rows = importlib.import_module("engine.batched_rows")
PATHWAY_UPDATE = "UPDATE pathway_instance SET state="


def _register(council, n: int) -> list[int]:
    return [register_child(council, child_details(reference=f"C-{i}"), "sw",
                           process_id="demo_pathway").outcome.instance_id for i in range(n)]


def _listen(db):
    seen = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters, executemany))
    event.listen(db.engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", listen)


def test_a_batch_writes_its_pathways_in_one_statement_found_by_key(council, monkeypatch):
    """The rows of the batch's pathways go in one executemany UPDATE, each found by its
    primary key and version: the plan the database makes searches the key, it never scans
    the table (the version check used to scan all of it, once a batch, on SQLite)."""
    monkeypatch.setattr(sweep_module, "BATCH_PATHWAYS", 10)
    ids = _register(council, 4)
    with council.reading() as s:
        versions = dict(s.execute(select(PathwayInstance.id, PathwayInstance.version)).all())
    set_clock(2026, 3, 17, 9)
    seen, stop = _listen(council)
    try:
        report = sweep(council)
    finally:
        stop()
    assert (report.instances, report.timers_fired, report.errors) == (4, 4, [])
    updates = [(s, p, many) for s, p, many in seen if s.startswith("UPDATE pathway_instance")]
    assert len(updates) == 1 and updates[0][2], updates   # one statement, all four rows
    statement, parameters, _ = updates[0]
    assert len(parameters) == 4
    with council.reading() as s:   # moved on by one each, as the ORM's own UPDATE would
        assert dict(s.execute(select(PathwayInstance.id, PathwayInstance.version)).all()) == {
            iid: versions[iid] + 1 for iid in ids}
    with council.engine.connect() as conn:
        if council.engine.dialect.name == "sqlite":
            plan = " ".join(row[3] for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters[0]))
            assert "USING INTEGER PRIMARY KEY" in plan and "SCAN" not in plan, plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")   # a 4-row table: the index if any
            plan = " ".join(row[0] for row in conn.exec_driver_sql(
                "EXPLAIN " + statement, parameters[0]))
            assert "Index Scan using pathway_instance_pkey" in plan, plan


def test_a_pathway_changed_since_the_claim_fails_its_batch_before_any_projection_row(
        council, monkeypatch):
    """Issue 15 item 5: the versions are checked before any projection row of the batch is
    written. Another writer's change (simulated in the batch's own transaction, just before
    the write) fails the whole batch: nothing is kept, no projection row was sent before the
    check, and the next sweep fires every timer once."""
    monkeypatch.setattr(sweep_module, "BATCH_PATHWAYS", 10)
    ids = _register(council, 3)
    real = batched_rows.update_versioned

    def changed_meanwhile(session, objects):
        session.connection().execute(text(
            "UPDATE pathway_instance SET version = version + 1 WHERE id = :id"), {"id": ids[1]})
        return real(session, objects)
    monkeypatch.setattr(batched_rows, "update_versioned", changed_meanwhile)
    set_clock(2026, 3, 17, 9)
    seen, stop = _listen(council)
    try:
        with pytest.raises(StaleDataError):
            sweep(council)
    finally:
        stop()
    statements = [s for s, _, _ in seen]
    checked = next(i for i, s in enumerate(statements) if s.startswith(PATHWAY_UPDATE))
    assert not any(s.startswith(("INSERT", "UPDATE human_task", "UPDATE deadline", "DELETE"))
                   for s in statements[:checked]), statements[:checked]
    with council.reading() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.kind == "timer_fired")) == 0
        assert s.scalar(select(func.count()).select_from(HumanTask)
                        .where(HumanTask.lane == "Team Manager")) == 0
    monkeypatch.setattr(batched_rows, "update_versioned", real)
    assert sweep(council).timers_fired == 3
    assert sweep(council).timers_fired == 0
    for iid in ids:
        assert audit_kinds(council, iid).count("timer_fired") == 1


def _generic_plan(conn, statement) -> str:
    """The plan PostgreSQL gives `statement` once prepared and planned generically (psycopg
    prepares a statement it has run five times; the server then may keep a generic plan)."""
    compiled = statement.compile(dialect=postgresql.dialect())
    names = list(compiled.params)
    sql = re.sub(r"%\((\w+)\)s", lambda m: f"${names.index(m.group(1)) + 1}", compiled.string)
    conn.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    conn.exec_driver_sql(f"PREPARE probe AS {sql}")
    values = ", ".join(f"'{compiled.params[name]}'" for name in names)
    return " ".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN EXECUTE probe({values})"))


def test_the_idle_probe_walks_the_due_index_in_a_generic_plan(pg_council):
    """An idle sweep asks whether any pathway is due. Asked as EXISTS, PostgreSQL's generic
    plan scanned the whole table (16 ms at 30,000 pathways, after the fifth sweep); asked
    for the first in the due index's order, it walks the index."""
    db = pg_council
    instance_id, = _register(db, 1)
    with db.engine.begin() as conn:   # a table worth an index: 3,000 waiting pathways
        row = conn.execute(select(PathwayInstance).where(PathwayInstance.id == instance_id)).one()
        child = conn.execute(select(Child).where(Child.id == row.child_id)).one()
        start = datetime(2026, 4, 1, tzinfo=timezone.utc)
        child_ids = conn.execute(insert(Child).returning(Child.id, sort_by_parameter_order=True), [
            {"reference": f"COPY-{n}", "name": "Copy", "date_of_birth": child.date_of_birth,
             "legal_status": child.legal_status, "looked_after_on": child.looked_after_on,
             "team_id": child.team_id, "created_at": start} for n in range(3000)]).scalars().all()
        conn.execute(insert(PathwayInstance), [
            {"child_id": cid, "diagram_version_id": row.diagram_version_id, "state": row.state,
             "status": "active", "stage": "", "route": "", "version": 1,
             "next_due_at": start + timedelta(hours=n), "started_at": start, "updated_at": start}
            for n, cid in enumerate(child_ids)])
        conn.exec_driver_sql("ANALYZE pathway_instance")
    probe = select(sweep_module._due_probe(datetime(2026, 3, 3, tzinfo=timezone.utc),
                                           "postgresql", None))
    with db.engine.connect() as conn:
        plan = _generic_plan(conn, probe)
        conn.rollback()
    assert "ix_pathway_instance_due" in plan and "Seq Scan" not in plan, plan
