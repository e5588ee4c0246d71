"""Registering a child and starting their pathway: the first task, its due date and rule,
the statutory clock, next_due_at, and the audit trail."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from engine import FormInvalid, NotAllowed, register_child
from engine.errors import Conflict
from engine.pathway import start_pathway
from models import AuditEvent, Child, Deadline, HumanTask, PathwayInstance

from ..conftest import child_details


def test_registering_a_child_opens_the_initial_ppm_due_in_10_working_days(council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    with council.transaction() as s:
        task = s.scalar(select(HumanTask))
        instance = s.get(PathwayInstance, registered.outcome.instance_id)
        deadline = s.scalar(select(Deadline))
        kinds = [e.kind for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    # Looked after Mon 2 March 2026; 10 working days, the day itself not counted:
    # 3,4,5,6 (4), 9-13 (9), 16 March (10). No bank holiday in between.
    assert (task.name, task.lane, task.due_on, task.rule) == (
        "Record initial PPM", "Social Worker", date(2026, 3, 16), "R7")
    assert task.stage == "Initial PPM" and task.status == "open"
    assert task.instructions == "Hold the initial Permanency Planning Meeting for Alex Example and record it here."
    assert task.assignee_id is not None  # the allocated social worker
    assert instance.stage == "Initial PPM" and instance.status == "active"
    # Overdue from 00:00 London on 17 March (GMT then): the escalation timer is due then.
    assert instance.next_due_at == datetime(2026, 3, 17, 0, 0, tzinfo=timezone.utc)
    assert (deadline.rule, deadline.due_on, deadline.status) == ("R7", date(2026, 3, 16), "running")
    assert kinds[-2:] == ["started", "task_opened"]
    assert "published" in kinds


def test_bad_details_are_refused_field_by_field_and_nothing_is_stored(council):
    with pytest.raises(FormInvalid) as caught:
        register_child(council, child_details(reference="", date_of_birth="2026-02-30",
                                              looked_after_on="2026-04-01", legal_status="x",
                                              team="Nowhere", social_worker="sw_south"), "sw", process_id="demo_pathway")
    errors = caught.value.errors
    assert set(errors) == {"reference", "date_of_birth", "looked_after_on", "legal_status", "team"}
    assert "must be today or in the past" in errors["looked_after_on"][0]
    assert caught.value.data["team"] == "Nowhere"  # what was typed comes back
    with council.transaction() as s:
        assert s.scalar(select(Child)) is None


def test_the_social_worker_must_be_in_the_childs_team(council):
    with pytest.raises(FormInvalid) as caught:
        register_child(council, child_details(social_worker="sw_south"), "sw", process_id="demo_pathway")
    assert caught.value.errors == {"social_worker": ["'sw_south' is not in North"]}


def test_a_reference_is_registered_once(council):
    register_child(council, child_details(), "sw", process_id="demo_pathway")
    with pytest.raises(FormInvalid) as caught:
        register_child(council, child_details(), "sw", process_id="demo_pathway")
    assert "already registered" in caught.value.errors["reference"][0]


def test_a_child_has_one_running_pathway(council):
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    with pytest.raises(Conflict):
        start_pathway(council, registered.child_id, "sw")


def test_only_casework_roles_of_the_team_start_a_pathway(council):
    for actor in ("po", "sw_south"):
        with pytest.raises((NotAllowed, FormInvalid)):
            register_child(council, child_details(reference=f"C-{actor}"), actor, process_id="demo_pathway")
    with pytest.raises(NotAllowed):
        register_child(council, child_details(reference="C-gone"), "gone", process_id="demo_pathway")
    with council.transaction() as s:
        assert s.scalar(select(Child)) is None


def test_who_looked_at_a_child_is_recorded_and_others_see_nothing(council):
    from engine import NotFound, position
    registered = register_child(council, child_details(), "sw", process_id="demo_pathway")
    shown = position(council, registered.child_id, "tm")
    assert shown.stage == "Initial PPM" and [t["name"] for t in shown.open_tasks] == ["Record initial PPM"]
    with pytest.raises(NotFound):
        position(council, registered.child_id, "sw_south")
    with council.transaction() as s:
        viewed = s.scalars(select(AuditEvent).where(AuditEvent.kind == "viewed")).all()
    assert [(v.actor_name, v.child_id) for v in viewed] == [("Tina Manager", registered.child_id)]


def test_a_diagram_that_leaves_unstorable_data_stores_nothing_and_says_why(council):
    from pathlib import Path
    from engine import InstanceInError, publish
    from workflows.diagrams import load_directory
    publish(council, load_directory(Path(__file__).parent / "diagrams" / "unsaveable", "unsaveable"), "po")
    with pytest.raises(InstanceInError, match="could not be saved, so nothing was"):
        register_child(council, child_details(), "sw", process_id="unsaveable")
    with council.transaction() as s:
        assert s.scalar(select(Child)) is None and s.scalar(select(PathwayInstance)) is None
