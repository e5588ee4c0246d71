"""The outbox: every change worth telling is appended in the same transaction as the change,
by registration, completion and sweep alike, and vanishes with it when it rolls back."""
from pathlib import Path

import pytest
from sqlalchemy import select

from engine import complete_task, publish, register_child, sweep
from engine.pathway import start_in
from models import Child, OutboxEvent, User
from workflows.diagrams import load_directory

from ..conftest import child_details, set_clock
from .helpers import INITIAL_PPM, only_open_task

FRAGILE = Path(__file__).parent / "diagrams" / "fragile"


def events(db, after=0) -> list[OutboxEvent]:
    with db.transaction() as s:
        return list(s.scalars(select(OutboxEvent).where(OutboxEvent.id > after)
                              .order_by(OutboxEvent.id)))


def kinds(rows) -> list[str]:
    return [e.kind for e in rows]


def test_registering_a_child_tells_of_the_child_and_the_first_task(council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    rows = events(council)
    assert kinds(rows) == ["child.registered", "task.opened"]
    opened = rows[1]
    assert opened.child_id == registered.child_id
    assert opened.instance_id == registered.outcome.instance_id
    with council.transaction() as s:
        assert opened.team_id == s.get(Child, registered.child_id).team_id
    assert opened.payload["child_reference"] == "C-001"
    assert (opened.payload["name"], opened.payload["rule"], opened.payload["due_on"]) == (
        "Record initial PPM", "R7", "2026-03-16")
    assert "child_name" not in opened.payload and "Alex" not in str(opened.payload)


def test_a_completion_tells_of_the_task_done_the_clock_met_the_plan_and_the_next_task(council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    last = events(council)[-1].id
    set_clock(2026, 3, 11)
    task = only_open_task(council, registered.child_id)
    complete_task(council, task["task_id"], INITIAL_PPM, "sw2")
    rows = events(council, after=last)
    assert kinds(rows) == ["task.completed", "deadline.met", "task.opened", "plan.changed"]
    done, met, opened, plan = rows
    assert done.payload["task_id"] == task["task_id"] and done.payload["completed_by"] == "sw2"
    assert (met.payload["rule"], met.payload["status"], met.payload["met_on"]) == (
        "R7", "met", "2026-03-10")
    assert (opened.payload["name"], opened.payload["rule"]) == ("Record review PPM", "R8")
    assert (plan.payload["route_before"], plan.payload["route"]) == ("", "adoption")


def test_a_missed_clock_tells_of_the_miss_and_the_escalation_it_opened(council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    last = events(council)[-1].id
    set_clock(2026, 3, 17, 0, 1)
    assert sweep(council).timers_fired == 1
    rows = events(council, after=last)
    assert kinds(rows) == ["deadline.missed", "task.opened", "escalation"]
    missed, opened, escalation = rows
    assert (missed.payload["rule"], missed.payload["status"]) == ("R7", "missed")
    assert escalation.payload["task_id"] == opened.payload["task_id"]
    assert (escalation.payload["lane"], escalation.payload["missed"]) == ("Team Manager", ["R7"])
    assert all(e.child_id == registered.child_id for e in rows)
    assert sweep(council).timers_fired == 0 and events(council)[-1].id == escalation.id


def test_a_pathway_stopped_in_error_is_told_and_the_failed_save_is_not(council):
    publish(council, load_directory(FRAGILE, "fragile"), "tests")
    bad = register_child(council, child_details(reference="C-2", legal_status="s20"), "sw",
                         process_id="fragile")  # it fails for a child under section 20
    last = events(council)[-1].id
    set_clock(2026, 3, 17, 9)
    report = sweep(council)
    assert report.errors
    rows = events(council, after=last)
    assert kinds(rows) == ["pathway.error"]  # nothing of the save that was rolled back
    assert rows[0].instance_id == bad.outcome.instance_id
    assert "division by zero" in rows[0].payload["message"]


class _Abandoned(Exception):
    pass


def test_nothing_is_told_of_a_change_that_rolls_back(council):
    """A start whose transaction fails after the save leaves no event behind."""
    with pytest.raises(_Abandoned):
        with council.transaction() as session:
            user = session.scalar(select(User).where(User.username == "sw"))
            child = Child(reference="C-9", name="Robin Rollback", created_at=user_now(),
                          date_of_birth=_date("2019-05-04"), legal_status="ico",
                          looked_after_on=_date("2026-03-02"), team_id=user.team_id)
            session.add(child)
            session.flush()
            start_in(session, child, user, "demo_pathway")
            session.flush()
            assert session.scalar(select(OutboxEvent.kind).where(OutboxEvent.child_id == child.id))
            raise _Abandoned
    assert events(council) == []


def test_a_refused_completion_writes_nothing(council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    last = events(council)[-1].id
    task = only_open_task(council, registered.child_id)
    with pytest.raises(Exception):
        complete_task(council, task["task_id"], {"held_on": "not a date"}, "sw")
    assert events(council, after=last) == []


def user_now():
    from engine import clock
    return clock.now()


def _date(text):
    from datetime import date
    return date.fromisoformat(text)
