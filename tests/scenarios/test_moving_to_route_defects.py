"""The demo children move onto the routes as mended by issue 13's "Defects to mend" (B25, E9,
E10, E27, E28, E31, P3, P4, P5, P9): the family and friends route's application step, the
residential reviews until a family placement, multi-track plans. Through the dry run and the
move, with their running deadlines and open tasks kept. The diagrams as they were are read
from git at `BEFORE`, the last commit before the change."""
import json
import subprocess

import pytest

from engine import publish
from engine.migration import move_instances, plan_move
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PROCESS
from .moving import running_work

BEFORE = "c189633"
CHANGED = ("permanence_routes.bpmn", "route_family_and_friends.bpmn", "route_residential.bpmn",
           "order-applicant.json", "residential-approval.json",
           "residential-approval-uischema.json", "residential-review.json", "residential-review-uischema.json")


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
        if name.endswith(".bpmn"):
            bundle.bpmn_files[name] = text
        else:
            bundle.form_files[name] = json.loads(text)
    # The PPM form as it is, with the rule the mend removed (P9): its other questions have
    # grown since, and the demo answers them.
    ppm = json.loads(json.dumps(bundle.form_files["ppm.json"]))
    ppm["x-rules"].append({"when": "routes and len(routes) > 2", "field": "routes",
                           "message": "A plan has at most two routes (twin-track)"})
    bundle.form_files["ppm.json"] = ppm
    return bundle


def test_B25_P3_P5_P9_the_demo_children_move_onto_the_mended_routes_with_their_deadlines_kept(db, monkeypatch):
    # The demo as it was: George and Hollie not yet on the mended routes' steps (the old forms
    # would refuse a three-route plan and the new grounds to apply).
    from web import demo_routes
    load_routes = demo_routes.load
    monkeypatch.setattr(demo_routes, "load", lambda db, today: None)
    version1, _ = publish(db, _before_bundle(), "tests")
    assert load_demo(db, PROCESS)
    deadlines, tasks = running_work(db)
    assert deadlines and tasks
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="Routes mended")
    assert new and version2.version == version1.version + 1
    plan = plan_move(db, PROCESS, version2.version)
    assert len(plan) >= 9
    stays = [(c.child_name, c.reasons) for c in plan if not c.can_move]
    assert stays == []
    report = move_instances(db, PROCESS, version2.version, "olly.po")
    assert len(report.moved) == len(plan) and not report.not_moved
    assert running_work(db) == (deadlines, tasks)
    # On the new version, the moved children take the mended steps: Hollie's grandparents'
    # application waits for the notice to run; George's three-route plan with residential care.
    from engine import clock, find_child, open_tasks
    load_routes(db, clock.today())
    hollie = {t["name"]: t for t in open_tasks(db, child_id=find_child(db, "DEMO-008"))}
    assert hollie["Record the application to the court"]["due_on"] is None
    george = {t["name"] for t in open_tasks(db, child_id=find_child(db, "DEMO-007"))}
    assert {"Review the residential placement at panel", "Complete the connected person assessment",
            "Propose the long-term fostering match"} <= george
