"""The projections a council's completions and sweeps kept, one change at a time, equal a full
recompute from each pathway's stored workflow (issue 15 s2: a completion walks the task tree
once, loads and saves through engine.state_codec): the open tasks, the running clocks, the
stage, route, facts and next timer. Recomputed on a blank slate (no open task or clock row)
in a transaction that is rolled back, on the managers' scenario council and the demo data."""
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from engine import clock, projections, publish
from engine.runtime import open_workflow
from engine.specs import loaded_version
from models import Deadline, HumanTask, PathwayInstance
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS, set_clock
from ..web.managers import TODAY, at, scenario

_TASK = ("task_id", "instance_id", "child_id", "bpmn_id", "name", "lane", "form", "instructions",
         "stage", "due_on", "rule", "due_error", "due_reason", "assignee_id", "status")
_CLOCK = ("instance_id", "child_id", "key", "bpmn_id", "rule", "label", "due_on", "status")


def _row(row, columns) -> tuple:
    return tuple(getattr(row, c) for c in columns)


def _differences(db) -> list[str]:
    found, compared = [], {"tasks": 0, "clocks": 0}
    session = db.sessions()
    try:
        ids = session.scalars(select(PathwayInstance.id).where(PathwayInstance.status == "active")
                              .order_by(PathwayInstance.id)).all()
        assert ids
        for instance_id in ids:
            instance = session.get(PathwayInstance, instance_id)
            kept_tasks = sorted(_row(r, _TASK) for r in session.scalars(select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.status == "open")))
            kept_clocks = {_row(r, _CLOCK) for r in session.scalars(select(Deadline).where(
                Deadline.instance_id == instance_id))}
            kept = (instance.stage, instance.route, instance.next_due_at, instance.facts, instance.status)
            workflow = open_workflow(instance, loaded_version(session, instance.diagram_version_id))
            session.execute(delete(HumanTask).where(HumanTask.instance_id == instance_id,
                                                    HumanTask.status == "open"))
            session.execute(delete(Deadline).where(Deadline.instance_id == instance_id))
            changes = projections.rewrite(session, instance, workflow, clock.now())
            tasks = sorted(_row(r, _TASK) for r in changes.opened)
            clocks = {_row(r, _CLOCK) for r in session.new if isinstance(r, Deadline)}
            now = (instance.stage, instance.route, instance.next_due_at, instance.facts, instance.status)
            compared["tasks"] += len(kept_tasks)
            compared["clocks"] += len(kept_clocks)
            if tasks != kept_tasks:
                found.append(f"pathway {instance_id}: open tasks kept {kept_tasks}, recomputed {tasks}")
            running = {c for c in kept_clocks if c[-1] == "running"}
            if {c for c in clocks if c[-1] == "running"} != running:
                found.append(f"pathway {instance_id}: running clocks kept {running}, recomputed {clocks}")
            # A fired clock of a pruned loop is history only its row keeps: those recomputed
            # from the tree are among those kept.
            if not {c for c in clocks if c[-1] == "missed"} <= kept_clocks:
                found.append(f"pathway {instance_id}: missed clocks kept {kept_clocks}, recomputed {clocks}")
            if now != kept:
                found.append(f"pathway {instance_id}: summary kept {kept}, recomputed {now}")
            session.expunge_all()
    finally:
        session.rollback()
        session.close()
    assert compared["tasks"] and compared["clocks"], compared   # something worth comparing
    return found


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_managers_scenario_projections_equal_a_full_recompute(kind, tmp_path_factory, request):
    url = request.getfixturevalue("postgres_url") if kind == "postgresql" else None
    db, _ = scenario(kind, tmp_path_factory, url)
    try:
        at(TODAY)
        assert _differences(db) == []
    finally:
        db.dispose()


def test_the_demo_councils_projections_equal_a_full_recompute(db):
    set_clock(2026, 9, 7)
    publish(db, load_directory(DIAGRAMS, "permanence_pathway"), "tests")
    assert load_demo(db, "permanence_pathway")
    assert _differences(db) == []
    # Unchanged by the days passing alone (what the sweep has not fired yet stays waiting).
    clock.set_fixed(clock.now() + timedelta(hours=1))
    assert _differences(db) == []
