"""The timer sweep: escalations fire when due and once; one failing pathway never stops the
others; the sweep's work follows the number of due pathways."""
import contextlib
import importlib
import threading
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import event, func, select

from engine import position, publish, register_child, sweep
from models import AuditEvent, HumanTask, PathwayInstance
from workflows.diagrams import load_directory

from ..conftest import child_details, set_clock
from .helpers import audit_kinds, instance_row

FRAGILE = Path(__file__).parent / "diagrams" / "fragile"
sweep_module = importlib.import_module("engine.sweep")   # engine.sweep is also the function


def test_nothing_fires_before_the_day_after_the_due_date(council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 16, 23, 59)  # the due date itself: not yet overdue
    assert sweep(council).timers_fired == 0
    set_clock(2026, 3, 17, 0, 1)
    report = sweep(council)
    assert (report.instances, report.timers_fired, report.errors) == (1, 1, [])
    pos = position(council, registered.child_id)
    chase = [t for t in pos.open_tasks if t["lane"] == "Team Manager"]
    # Escalated on Tue 17 March; due 2 working days later: 18 (1), 19 (2).
    assert [(t["name"], t["due_on"], t["rule"]) for t in chase] == [
        ("Chase overdue initial PPM", date(2026, 3, 19), "R7")]
    assert [(d["rule"], d["status"]) for d in pos.deadlines] == [("R7", "missed")]
    kinds = audit_kinds(council, registered.outcome.instance_id)
    assert kinds[-3:] == ["timer_fired", "task_opened", "deadline_missed"]
    assert instance_row(council, registered.outcome.instance_id).next_due_at is None
    assert sweep(council).timers_fired == 0  # fired once


def test_a_sweep_as_at_a_given_time(council):
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    report = sweep(council, now=datetime(2026, 3, 17, 0, 1, tzinfo=timezone.utc))
    assert report.timers_fired == 1


def test_a_failing_pathway_is_stopped_in_error_and_the_sweep_goes_on(council):
    publish(council, load_directory(FRAGILE, "fragile"), "tests")
    good1 = register_child(council, child_details(reference="C-1"), "sw", process_id="demo_pathway")
    bad = register_child(council, child_details(reference="C-2", legal_status="s20"), "sw",
                         process_id="fragile")
    corrupt = register_child(council, child_details(reference="C-3"), "sw", process_id="demo_pathway")
    good2 = register_child(council, child_details(reference="C-4"), "sw", process_id="demo_pathway")
    with council.transaction() as s:
        s.get(PathwayInstance, corrupt.outcome.instance_id).state = '{"not": "a workflow"'
    set_clock(2026, 3, 17, 9)
    report = sweep(council)
    assert report.instances == 4 and report.timers_fired == 2
    errors = dict(report.errors)
    assert "Work out the ratio (divide)" in errors[bad.outcome.instance_id]
    assert "division by zero" in errors[bad.outcome.instance_id]
    assert corrupt.outcome.instance_id in errors
    for broken in (bad, corrupt):
        row = instance_row(council, broken.outcome.instance_id)
        assert row.status == "error" and row.error_message and row.next_due_at is None
        assert audit_kinds(council, row.id)[-1] == "error"
    for fine in (good1, good2):   # fired once, though one was in the batch a failure undid
        assert instance_row(council, fine.outcome.instance_id).status == "active"
        assert audit_kinds(council, fine.outcome.instance_id).count("timer_fired") == 1
    assert sweep(council).instances == 0  # pathways in error are not retried by every sweep


class _Killed(BaseException):
    """The worker's process ending in the middle of a batch (SIGKILL, a power cut)."""


def test_a_worker_killed_mid_batch_leaves_nothing_half_fired_and_each_timer_fires_once(
        council, monkeypatch):
    monkeypatch.setattr(sweep_module, "BATCH_PATHWAYS", 10)   # the four in one batch
    children = [register_child(council, child_details(reference=f"C-{n}"), "sw", process_id="demo_pathway")
                for n in range(4)]
    set_clock(2026, 3, 17, 9)
    written = []   # the pathways' new states, as the batch writes them

    def killed_at_the_third_pathway(conn, cursor, statement, parameters, context, executemany):
        # (the batch writes its states after every claimed pathway has been fired, in one
        # statement, and its projections and audit trail after them: killed as the states
        # are sent, whether one at a time or together)
        if statement.startswith("UPDATE pathway_instance SET state="):
            written.extend(parameters if executemany else [parameters])
            if len(written) >= 3:
                raise _Killed()
    event.listen(council.engine, "before_cursor_execute", killed_at_the_third_pathway)
    try:
        sweep(council)
        raise AssertionError("the sweep was not killed")
    except _Killed:
        pass
    finally:
        event.remove(council.engine, "before_cursor_execute", killed_at_the_third_pathway)
    with council.reading() as s:   # the batch was kept whole or not at all: here, not at all
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.kind == "timer_fired")) == 0
        assert s.scalar(select(func.count()).select_from(HumanTask)
                        .where(HumanTask.lane == "Team Manager")) == 0
    report = sweep(council)   # the next worker fires them all, once
    assert (report.instances, report.timers_fired, report.errors) == (4, 4, [])
    assert sweep(council).timers_fired == 0
    for child in children:
        assert audit_kinds(council, child.outcome.instance_id).count("timer_fired") == 1
    with council.reading() as s:
        chases = s.execute(select(HumanTask.instance_id, func.count()).where(
            HumanTask.lane == "Team Manager").group_by(HumanTask.instance_id)).all()
    assert len(chases) == 4 and all(count == 1 for _, count in chases)


@contextlib.contextmanager
def _refusing_new_state(db, instance_id: int):
    """The database itself refuses to store one pathway's new state (a constraint, a full
    disk): the failure comes at the batch's joint write, where no pathway is named."""
    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.begin() as conn:
        if sqlite:
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_state BEFORE UPDATE OF state ON pathway_instance"
                f" WHEN NEW.id = {instance_id} BEGIN SELECT RAISE(ABORT, 'state refused'); END")
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_state() RETURNS trigger AS $$ BEGIN"
                " RAISE EXCEPTION 'state refused'; END $$ LANGUAGE plpgsql")
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_state BEFORE UPDATE OF state ON pathway_instance"
                f" FOR EACH ROW WHEN (NEW.id = {instance_id}) EXECUTE FUNCTION refuse_state()")
    try:
        yield
    finally:   # the PostgreSQL database outlives the test
        with db.engine.begin() as conn:
            if sqlite:
                conn.exec_driver_sql("DROP TRIGGER refuse_state")
            else:
                conn.exec_driver_sql("DROP TRIGGER refuse_state ON pathway_instance")
                conn.exec_driver_sql("DROP FUNCTION refuse_state()")


def test_a_batch_whose_joint_write_fails_is_fired_again_one_pathway_at_a_time(council, monkeypatch):
    monkeypatch.setattr(sweep_module, "BATCH_PATHWAYS", 10)   # the four in one batch
    children = [register_child(council, child_details(reference=f"C-{n}"), "sw", process_id="demo_pathway")
                for n in range(4)]
    refused = children[2].outcome.instance_id
    set_clock(2026, 3, 17, 9)
    with _refusing_new_state(council, refused):
        report = sweep(council)
    assert (report.instances, report.timers_fired) == (4, 3)
    assert [iid for iid, _ in report.errors] == [refused]
    assert "state refused" in report.errors[0][1]
    row = instance_row(council, refused)
    assert row.status == "error" and "state refused" in row.error_message
    assert "timer_fired" not in audit_kinds(council, refused)
    for child in children:
        if child.outcome.instance_id != refused:
            assert instance_row(council, child.outcome.instance_id).status == "active"
            assert audit_kinds(council, child.outcome.instance_id).count("timer_fired") == 1
    assert sweep(council).instances == 0


def _statements(db):
    seen = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", listen)


def test_a_sweep_reads_only_due_pathways(council, monkeypatch):
    """The cost follows the due pathways: nothing due is one indexed query; k due is one
    claim a batch plus one that finds no more, whatever the number of pathways."""
    monkeypatch.setattr(sweep_module, "BATCH_PATHWAYS", 2)
    set_clock(2026, 2, 8)
    for n in range(6):  # looked after Mon 2 .. Sat 7 February
        register_child(council, child_details(reference=f"C-{n}", looked_after_on=f"2026-02-0{n + 2}"), "sw", process_id="demo_pathway")
    seen, stop = _statements(council)
    try:
        assert sweep(council).instances == 0
    finally:
        stop()
    assert sum("pathway_instance" in s for s in seen) == 1
    assert not any(s.startswith(("INSERT", "UPDATE", "BEGIN IMMEDIATE")) for s in seen)   # a read
    # Looked after 2, 3, 4 February: due 16, 17, 18 February (10 working days, no bank
    # holiday); as at 00:01 on 19 February exactly those three are overdue.
    set_clock(2026, 2, 19, 0, 1)
    seen, stop = _statements(council)
    try:
        report = sweep(council)
    finally:
        stop()
    assert report.instances == 3
    claims = [s for s in seen if "FROM pathway_instance" in s and "next_due_at <=" in s
              and "EXISTS" not in s]   # the read asking whether any is due comes first
    assert len(claims) == 2   # two, then the one left (fewer than a batch: no more)


def test_concurrent_sweeps_fire_each_timer_exactly_once(pg_council):
    """Two workers sweeping the same due pathways at the same time (PostgreSQL, SKIP LOCKED)."""
    council = pg_council
    due = 24
    for n in range(due):
        register_child(council, child_details(reference=f"C-{n:02}"), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 17, 9)
    reports, start = [], threading.Barrier(2)

    def worker():
        start.wait()
        reports.append(sweep(council))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert sum(r.timers_fired for r in reports) == due
    assert all(not r.errors for r in reports)
    with council.transaction() as s:
        fired = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.kind == "timer_fired"))
        chases = s.execute(select(HumanTask.instance_id, func.count()).where(
            HumanTask.lane == "Team Manager").group_by(HumanTask.instance_id)).all()
    assert fired == due
    assert len(chases) == due and all(count == 1 for _, count in chases)


def test_the_claim_walks_the_due_index_on_sqlite(council, monkeypatch):
    """Without statistics SQLite chose the status index and sorted every active pathway;
    the claim names the due index, and the plan the database makes says it is used."""
    if council.engine.dialect.name != "sqlite":
        return  # PostgreSQL keeps statistics and picks its plan from them
    monkeypatch.setattr(sweep_module, "BATCH_PATHWAYS", 1)   # claims after a cursor too
    for n in range(3):
        register_child(council, child_details(reference=f"C-{n}"), "sw", process_id="demo_pathway")
    claims = []

    def listen(conn, cursor, statement, parameters, *args):
        if "next_due_at <=" in statement:
            claims.append((statement, parameters))
    event.listen(council.engine, "before_cursor_execute", listen)
    try:
        set_clock(2026, 3, 17, 9)
        assert sweep(council).instances == 3
    finally:
        event.remove(council.engine, "before_cursor_execute", listen)
    assert len(claims) == 5  # the read asking whether any is due, three claims and the one that finds no more
    with council.engine.connect() as conn:
        for statement, parameters in claims[:3]:  # the read, the first claim, one after a cursor
            plan = " ".join(row[3] for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters))
            assert "USING INDEX ix_pathway_instance_due" in plan and "TEMP B-TREE" not in plan, plan


def test_a_stop_ends_the_sweep_between_two_claims(council, monkeypatch):
    """A worker told to stop (SIGTERM) finishes the batch in hand, keeps it, and claims no
    more."""
    monkeypatch.setattr(sweep_module, "BATCH_PATHWAYS", 1)
    for n in range(3):
        register_child(council, child_details(reference=f"C-{n}"), "sw", process_id="demo_pathway")
    stop = threading.Event()

    def stop_while_the_first_fires(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO audit_event"):
            stop.set()
    event.listen(council.engine, "before_cursor_execute", stop_while_the_first_fires)
    try:
        set_clock(2026, 3, 17, 9)
        assert sweep(council, stop=stop).instances == 1
    finally:
        event.remove(council.engine, "before_cursor_execute", stop_while_the_first_fires)
    with council.reading() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.kind == "timer_fired")) == 1
    stop.clear()
    assert sweep(council, stop=stop).instances == 2  # the rest on the next sweep
