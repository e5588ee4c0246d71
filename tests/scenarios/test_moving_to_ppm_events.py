"""The demo children move onto the version of the pathway where events call PPMs (A6), a
next PPM date set sooner is kept (B21), review PPMs carry the plan's areas and contingency
forward (D2, D24) and the care-leaving PPM comes before the final review (B23, L1-L5): through
the dry run and the move, with their running deadlines and open tasks kept.
`before_ppm_events/` holds the files as they were before (the rest is unchanged)."""
import json
from pathlib import Path

import pytest

from engine import publish
from engine.migration import move_instances, plan_move
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PROCESS
from .moving import running_work

BEFORE = Path(__file__).parent / "before_ppm_events"


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
            bundle.form_files[path.name] = json.loads(path.read_text())
    return bundle


def test_A6_B21_the_demo_children_move_with_their_deadlines_kept(db):
    version1, _ = publish(db, _before_bundle(), "tests")
    assert load_demo(db, PROCESS)
    deadlines, tasks = running_work(db)
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="PPMs called by events")
    assert new and version2.version == version1.version + 1
    plan = plan_move(db, PROCESS, version2.version)
    assert len(plan) >= 9
    # Every child the demo registered moves, those who have held review PPMs too: the review
    # PPM's due date now keeps the date a PPM set (B21) and events can call a PPM (A6), but
    # when a done step was due, and the flows that lead to it, are history (engine.move_history).
    stays = {c.child_name: c.reasons for c in plan if not c.can_move}
    assert stays == {}, stays
    report = move_instances(db, PROCESS, version2.version, "olly.po")
    assert len(report.moved) == len(plan) and report.not_moved == []
    after_deadlines, after_tasks = running_work(db)
    assert after_deadlines == deadlines
    assert after_tasks == tasks
