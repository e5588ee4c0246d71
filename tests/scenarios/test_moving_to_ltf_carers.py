"""The demo children move onto the long-term fostering match as E24 and E26 changed it (its
form only: short-term carers reassessed first, Halton's carer options), with their running
deadlines and open tasks kept; after the move, Daisy's open match asks the new questions. The
form as it was is read from git at `BEFORE`, the last commit before the change."""
import json
import subprocess

import pytest

from engine import FormInvalid, clock, complete_task, find_child, open_tasks, publish
from engine.migration import move_instances, plan_move
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PROCESS
from .moving import running_work

BEFORE = "b2ce56a"
CHANGED = ("ltf-match.json", "ltf-match-uischema.json")


@pytest.fixture(autouse=True)
def _demo_before_kinship(monkeypatch):
    """The demo as it was then: without issue 13's kinship and reunification children
    (web/demo_kinship.py), whose steps the earlier diagrams do not have."""
    from web import demo_kinship
    monkeypatch.setattr(demo_kinship, "load", lambda db, today: None)


def _before_bundle():
    bundle = load_directory(DIAGRAMS, PROCESS)
    for name in CHANGED:
        text = subprocess.run(["git", "show", f"{BEFORE}:diagrams/{name}"], cwd=DIAGRAMS.parent,
                              capture_output=True, text=True, check=True).stdout
        bundle.form_files[name] = json.loads(text)
    return bundle


def test_E24_E26_the_demo_children_move_onto_the_changed_match_form_with_their_deadlines_kept(db, monkeypatch):
    from web import demo_routes
    # The demo as it was: Jacob's imported match not yet corrected with the new answers.
    monkeypatch.setattr(demo_routes, "_jacob_carers_reassessed", lambda db: None)
    version1, _ = publish(db, _before_bundle(), "tests")
    assert load_demo(db, PROCESS)
    deadlines, tasks = running_work(db)
    assert deadlines and tasks
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="LTF carers")
    assert new and version2.version == version1.version + 1
    plan = plan_move(db, PROCESS, version2.version)
    assert [(c.child_name, c.reasons) for c in plan if not c.can_move] == []
    report = move_instances(db, PROCESS, version2.version, "olly.po")
    assert len(report.moved) == len(plan) and not report.not_moved
    assert running_work(db) == (deadlines, tasks)
    # Daisy's open match now asks whether her carers were her short-term carers, reassessed.
    [match] = [t for t in open_tasks(db, child_id=find_child(db, "DEMO-004"))
               if t["name"] == "Propose the long-term fostering match"]
    today = clock.today().isoformat()
    with pytest.raises(FormInvalid) as refused:
        complete_task(db, match["task_id"], {"match_proposed_on": today, "carers": "The Dunns",
                                             "carers_origin": "short_term",
                                             "halton_option": "with_view_to_sgo"}, "ben.sw")
    assert "MER §7.5" in refused.value.errors.get("reassessed_on", [""])[0], refused.value.errors
