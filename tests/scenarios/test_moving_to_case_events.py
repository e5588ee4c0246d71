"""The demo children move onto the version of the pathway that hears case events and keeps
the adoption reviews' clocks (D22, B11, E17), through the dry run and the move, with their
running deadlines and open tasks kept. `before_case_events/` holds the files as they were
before (the rest of the pathway is unchanged)."""
from pathlib import Path

import pytest
from sqlalchemy import select

from engine import clock, publish
from engine.migration import move_instances, plan_move
from models import PathwayInstance
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PROCESS
from .moving import running_work

BEFORE = Path(__file__).parent / "before_case_events"


@pytest.fixture(autouse=True)
def _demo_before_kinship(monkeypatch):
    """The demo as it was then: without issue 13's kinship and reunification children
    (web/demo_kinship.py), whose steps the earlier diagrams do not have."""
    from web import demo_kinship
    monkeypatch.setattr(demo_kinship, "load", lambda db, today: None)


def _before_bundle():
    bundle = load_directory(DIAGRAMS, PROCESS)
    for path in BEFORE.iterdir():
        if path.suffix == ".bpmn":
            bundle.bpmn_files[path.name] = path.read_text()
        else:
            import json
            bundle.form_files[path.name] = json.loads(path.read_text())
    return bundle


def test_the_demo_children_move_with_their_deadlines_kept(db):
    version1, _ = publish(db, _before_bundle(), "tests")
    assert load_demo(db, PROCESS)
    deadlines, tasks = running_work(db)
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="Case events")
    assert new and version2.version == version1.version + 1
    plan = plan_move(db, PROCESS, version2.version)
    # Every child the demo registered moves. Imogen (DEMO-101, imported well into adoption)
    # has done the steps the rebuilt adoption route changed, so she stays on version 1 with
    # the reasons named, as the dry run says, until a process owner decides.
    stays = {c.child_name for c in plan if not c.can_move}
    assert stays == {"Imogen Ward"}, [(c.child_name, c.reasons) for c in plan if not c.can_move]
    assert len(plan) >= 9
    report = move_instances(db, PROCESS, version2.version, "olly.po")
    assert len(report.moved) == len(plan) - 1 and len(report.not_moved) == 1
    after_deadlines, after_tasks = running_work(db)
    assert after_deadlines == deadlines
    assert after_tasks == tasks
    # A step already open when the child moved keeps the shape it opened with: Alfie's
    # (DEMO-001) "Record care proceedings issued" was open before the move, so the event is
    # a fact (issued_on) and his task stays for Legal to close; a child registered after the
    # move hears it on that step (tests/scenarios/test_case_events.py).
    from engine import deliver_event, find_child
    child = find_child(db, "DEMO-001")
    delivered = deliver_event(db, child, "proceedings_issued",
                              {"issued_on": clock.today().isoformat()}, "lee.legal")
    assert (delivered.caught_by, delivered.error) == ([], None)
    with db.transaction() as s:
        facts = s.scalar(select(PathwayInstance.facts).where(PathwayInstance.child_id == child))
    assert facts["issued_on"] == clock.today().isoformat()
