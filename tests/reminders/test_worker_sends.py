"""The worker drives reminders: after each sweep it writes, composes and sends them; a Notify
that keeps failing delays only the e-mails, never the sweep (SQLite and PostgreSQL)."""
import threading
import time

from sqlalchemy import select

from engine import register_child
from engine.worker import run_worker
from models import HumanTask, ReminderEmail

from ..conftest import child_details, set_clock
from .conftest import addresses


def _until(condition, limit_seconds=30):
    """Wait for the worker thread (a bounded wait, not a timing assertion)."""
    give_up = time.monotonic() + limit_seconds
    while time.monotonic() < give_up:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _worker(db, config):
    stop = threading.Event()
    thread = threading.Thread(target=run_worker, args=(db, 0.05, stop, config), daemon=True)
    thread.start()
    return stop, thread


def test_the_worker_sends_what_the_sweep_escalated(council, notify, config):
    addresses(council, tm="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 17, 0, 1)          # the initial PPM's clock is missed overnight
    stop, thread = _worker(council, config)
    try:
        assert _until(lambda: len(notify.sent) == 1)
    finally:
        stop.set()
        thread.join(10)
    assert notify.sent[0]["subject"] == "Escalation: Chase overdue initial PPM for C-001"
    assert notify.sent[0]["email_address"] == "tm@council.example"


def test_a_failing_notify_never_holds_up_the_sweep(council, notify, config):
    addresses(council, sw="each", tm="each")
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    notify.fail_next(500, times=1000)
    set_clock(2026, 3, 17, 0, 1)
    stop, thread = _worker(council, config)

    def escalated():
        with council.transaction() as s:
            return s.scalar(select(HumanTask.id).where(HumanTask.lane == "Team Manager")) is not None

    def both_waiting():
        with council.transaction() as s:
            rows = s.scalars(select(ReminderEmail)).all()
            return len(rows) >= 2 and all(r.status == "pending" and r.attempts >= 1 for r in rows)
    try:
        assert _until(escalated) and _until(both_waiting)
    finally:
        stop.set()
        thread.join(10)
    assert notify.sent == []
