"""Completing a task: every guard SpiffWorkflow leaves to the host, the form, the version
check, and what a completion rewrites."""
import threading
from datetime import date

import pytest
from sqlalchemy import event, select, update

from engine import (FormInvalid, InstanceInError, NotAllowed, NotFound, TaskNotOpen,
                    complete_task, register_child)
from models import AuditEvent, HumanTask, PathwayInstance

from ..conftest import child_details, set_clock
from .helpers import INITIAL_PPM, audit_kinds, instance_row, only_open_task, projection_writes, task_row


@pytest.fixture
def started(council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 11)
    return registered


def test_completion_moves_the_pathway_on_and_rewrites_the_projections(council, started):
    task = only_open_task(council, started.child_id)
    outcome = complete_task(council, task["task_id"], INITIAL_PPM, "sw2")
    done = task_row(council, task["task_id"])
    assert done.status == "completed" and done.completed_by.username == "sw2"
    # The next review PPM runs from the date the meeting was held (10 March), not from the
    # day it was typed in (11 March): 10 March + 6 weeks = 21 April.
    assert outcome.opened == [{"task_id": outcome.opened[0]["task_id"], "name": "Record review PPM",
                               "lane": "Social Worker", "due_on": date(2026, 4, 21), "rule": "R8"}]
    instance = instance_row(council, started.outcome.instance_id)
    assert (instance.stage, instance.route, instance.next_due_at) == ("Review PPMs", "adoption", None)
    with council.transaction() as s:
        completed = s.scalar(select(AuditEvent).where(AuditEvent.kind == "task_completed"))
    assert completed.actor_name == "Sue Second"
    assert completed.detail["data"]["held_on"] == "2026-03-10"
    assert audit_kinds(council, instance.id)[-2:] == ["task_completed", "task_opened"]


def test_the_version_check_comes_first_even_when_the_clock_has_not_moved(council):
    """Issue 15 s5, with a clock that stands still (PERMANENCE_CLOCK, two saves in one
    instant): the save's updated_at is unchanged, yet the pathway's version-checked UPDATE is
    still the completion's first write to pathway_instance, human_task or deadline."""
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    task = only_open_task(council, registered.child_id)   # same instant as the registration
    with projection_writes(council) as writes:
        complete_task(council, task["task_id"], {**INITIAL_PPM, "held_on": "2026-03-02"}, "sw")
    assert writes[0] == ("UPDATE", "pathway_instance"), writes
    assert ("INSERT", "human_task") in writes   # the completion did open the next task


def test_the_statutory_clock_is_met_on_the_date_the_meeting_was_held(council, started):
    task = only_open_task(council, started.child_id)
    complete_task(council, task["task_id"], INITIAL_PPM, "sw")
    from engine import position
    deadlines = position(council, started.child_id).deadlines
    assert [(d["rule"], d["status"], d["met_on"]) for d in deadlines] == [("R7", "met", date(2026, 3, 10))]


def test_form_errors_come_back_by_field_with_the_data_and_nothing_changes(council, started):
    task = only_open_task(council, started.child_id)
    before = instance_row(council, started.outcome.instance_id)
    typed = {"held_on": "2026-03-12", "plan": "", "contingency_plan": "Kinship care"}
    with pytest.raises(FormInvalid) as caught:
        complete_task(council, task["task_id"], typed, "sw")
    assert caught.value.errors == {
        "held_on": ["Date the meeting was held must be today or in the past"],
        "plan": ["Select the plan"]}
    assert caught.value.data == typed
    after = instance_row(council, started.outcome.instance_id)
    assert (after.version, after.state) == (before.version, before.state)
    assert task_row(council, task["task_id"]).status == "open"


def test_a_task_is_completed_only_by_a_holder_of_its_lanes_role(council, started):
    task = only_open_task(council, started.child_id)
    with pytest.raises(NotAllowed, match="is for the Social Worker"):
        complete_task(council, task["task_id"], INITIAL_PPM, "tm")
    with pytest.raises(NotAllowed, match="is for the Social Worker"):
        complete_task(council, task["task_id"], INITIAL_PPM, "iro")  # sees every child, wrong lane


def test_another_teams_worker_is_told_the_task_does_not_exist(council, started):
    task = only_open_task(council, started.child_id)
    for actor in ("sw_south", "po"):
        with pytest.raises(NotFound):
            complete_task(council, task["task_id"], INITIAL_PPM, actor)
    with pytest.raises(NotAllowed):
        complete_task(council, task["task_id"], INITIAL_PPM, "gone")
    with pytest.raises(NotFound):
        complete_task(council, "00000000-0000-0000-0000-000000000000", INITIAL_PPM, "sw")
    assert task_row(council, task["task_id"]).status == "open"


def test_a_second_completion_is_told_who_completed_it(council, started):
    task = only_open_task(council, started.child_id)
    complete_task(council, task["task_id"], INITIAL_PPM, "sw")
    with pytest.raises(TaskNotOpen, match="already completed by Sam Worker on 11 March 2026 at 09:00"):
        complete_task(council, task["task_id"], INITIAL_PPM, "sw2")


def test_a_task_that_is_not_ready_in_the_workflow_is_never_run(council, started):
    """SpiffWorkflow's run() would silently complete a task in any state: a projection row
    that claims a finished task is open must not get it run again."""
    task = only_open_task(council, started.child_id)
    complete_task(council, task["task_id"], INITIAL_PPM, "sw")
    with council.transaction() as s:
        s.execute(update(HumanTask).where(HumanTask.task_id == task["task_id"]).values(status="open"))
    before = instance_row(council, started.outcome.instance_id)
    with pytest.raises(TaskNotOpen, match="is not waiting to be done"):
        complete_task(council, task["task_id"], INITIAL_PPM, "sw")
    assert instance_row(council, started.outcome.instance_id).state == before.state


def test_a_pathway_in_error_accepts_no_completion(council, started):
    task = only_open_task(council, started.child_id)
    with council.transaction() as s:
        s.get(PathwayInstance, started.outcome.instance_id).status = "error"
    with pytest.raises(InstanceInError):
        complete_task(council, task["task_id"], INITIAL_PPM, "sw")


def test_a_failing_gateway_stops_that_pathway_in_error_and_keeps_the_answers(council, started):
    """The review form's answer drives the gateway; a diagram whose condition cannot be
    evaluated stops the pathway visibly (status error, message, audit) without losing what
    the user recorded."""
    task = only_open_task(council, started.child_id)
    complete_task(council, task["task_id"], INITIAL_PPM, "sw")
    review = only_open_task(council, started.child_id)
    # Break the loaded spec's condition for this one test, as a bad diagram would.
    from engine.specs import loaded_version
    with council.transaction() as s:
        loaded = loaded_version(s, instance_row(council, started.outcome.instance_id).diagram_version_id)
    gateway = loaded.spec.task_specs["achieved_gateway"]
    original = gateway.cond_task_specs
    condition = original[0][0] if original[0][0] is not None else original[1][0]
    saved_args = condition.args
    condition.args = ("plan_achieved and no_such_variable",)
    try:
        outcome = complete_task(council, review["task_id"],
                                {"held_on": "2026-03-10", "plan_achieved": True}, "sw")
    finally:
        condition.args = saved_args
    assert outcome.status == "error"
    assert "achieved_gateway" in outcome.error and "no_such_variable" in outcome.error
    instance = instance_row(council, started.outcome.instance_id)
    assert instance.status == "error" and instance.next_due_at is None
    assert task_row(council, review["task_id"]).status == "completed"
    assert "error" in audit_kinds(council, instance.id)


def test_two_people_completing_the_same_task_at_once(pg_council):
    """Both read the task as open; the version column lets one win. The other is told who
    completed it, and nothing of theirs is half-written. (On SQLite the write lock is taken
    at BEGIN, so the second simply reads it as completed: see the test above.)"""
    council = pg_council
    started = register_child(council, child_details(), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 11)
    task = only_open_task(council, started.child_id)
    barrier = threading.Barrier(2, timeout=20)
    waited = set()

    def wait_for_each_other(session, flush_context, instances):
        """Hold each thread's first write of the pathway until both have read it as open."""
        me = threading.get_ident()
        if me not in waited and any(isinstance(o, PathwayInstance) for o in session.dirty):
            waited.add(me)
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass

    event.listen(council.sessions, "before_flush", wait_for_each_other)
    results = {}

    def attempt(user):
        try:
            complete_task(council, task["task_id"], INITIAL_PPM, user)
            results[user] = "completed"
        except TaskNotOpen as exc:
            results[user] = str(exc)

    try:
        threads = [threading.Thread(target=attempt, args=(u,)) for u in ("sw", "sw2")]
        [t.start() for t in threads]
        [t.join(30) for t in threads]
    finally:
        event.remove(council.sessions, "before_flush", wait_for_each_other)
    assert list(results.values()).count("completed") == 1, results
    winner = next(u for u, r in results.items() if r == "completed")
    loser = next(u for u in results if u != winner)
    name = {"sw": "Sam Worker", "sw2": "Sue Second"}[winner]
    assert results[loser].startswith(f"'Record initial PPM' was already completed by {name}")
    with council.transaction() as s:
        assert s.scalar(select(HumanTask).where(HumanTask.task_id == task["task_id"])).completed_by.username == winner
        reviews = s.scalars(select(HumanTask).where(HumanTask.name == "Record review PPM")).all()
        completions = s.scalars(select(AuditEvent).where(AuditEvent.kind == "task_completed")).all()
    assert len(reviews) == 1 and len(completions) == 1


def test_a_pathway_whose_state_cannot_be_read_is_stopped_not_crashed(council, started):
    task = only_open_task(council, started.child_id)
    with council.transaction() as s:
        s.get(PathwayInstance, started.outcome.instance_id).state = "{broken"
    outcome = complete_task(council, task["task_id"], INITIAL_PPM, "sw")
    assert outcome.status == "error" and "could not be loaded" in outcome.error
    instance = instance_row(council, started.outcome.instance_id)
    assert instance.status == "error" and instance.state == "{broken"
    assert task_row(council, task["task_id"]).status == "open"  # nothing was completed
    assert audit_kinds(council, instance.id)[-1] == "error"
