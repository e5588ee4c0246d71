"""The demo children move onto the version where any child can be referred to the Legal
Gateway Meeting (A10, B1: a message-started event subprocess beside everything), its decision
can endorse s20 with a reason (F2), the LGM reviews the care plan during pre-proceedings and
proceedings (A11: the reviews' start, a boundary event added to a step a child is at, armed as they move) and the s20 drift takes the age at 12 weeks (P14), with
their running deadlines and open tasks kept; a moved pathway then hears a referral exactly
once. A version that changes a step a child has already passed stays refused.
`before_legal_referral/` holds the files as they were before (the rest is unchanged)."""
import json
from datetime import timedelta
from pathlib import Path


from engine import FormInvalid, clock, deliver_event, find_child, open_tasks, publish, sweep
from engine.migration import move_instances, plan_move
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PROCESS, at
from .moving import running_work

BEFORE = Path(__file__).parent / "before_legal_referral"
LGM = "Record the Legal Gateway Meeting decision"


def _before_bundle():
    """The diagrams as they were (`before_legal_referral/`), and the LGM decision's form as it
    was, built from today's: without the legal plan and the reason s20 stays right (F2)."""
    bundle = load_directory(DIAGRAMS, PROCESS)
    for path in BEFORE.iterdir():
        bundle.bpmn_files[path.name] = path.read_text()
    form = json.loads(json.dumps(bundle.form_files["lgm-decision.json"]))
    for name in ("legal_plan", "s20_reason"):
        del form["properties"][name]
    form["x-rules"] = [r for r in form["x-rules"] if r["field"] == "plo_letter_on"]
    bundle.form_files["lgm-decision.json"] = form
    del bundle.form_files["lgm-review.json"]
    return bundle


def test_A10_A11_B1_F2_P14_the_demo_children_move_and_then_hear_a_referral_once(db):
    version1, _ = publish(db, _before_bundle(), "tests")
    assert load_demo(db, PROCESS)
    deadlines, tasks = running_work(db)
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="LGM by referral")
    assert new and version2.version == version1.version + 1
    plan = plan_move(db, PROCESS, version2.version)
    assert len(plan) >= 9
    # The event subprocess adds no task to a running tree (SpiffWorkflow starts it when its
    # message arrives) and the new age gateway comes after a timer still waiting: no child
    # has done anything the new version changed.
    assert {c.child_name: c.reasons for c in plan if not c.can_move} == {}
    report = move_instances(db, PROCESS, version2.version, "olly.po")
    assert len(report.moved) == len(plan) and report.not_moved == []
    assert running_work(db) == (deadlines, tasks)
    # Hollie (DEMO-008, care order), moved, is referred by her social worker today: the
    # referral is heard once and opens one meeting for Legal.
    hollie = find_child(db, "DEMO-008")
    today = clock.today()
    try:
        delivered = deliver_event(db, hollie, "lgm_referral",
                                  {"referred_on": today.isoformat(), "recommendation": "Consider an SGO to her grandparents."},
                                  "cara.sw")
    except FormInvalid as exc:
        raise AssertionError(exc.errors) from None
    assert delivered.caught_by == ["lgm_referred"]
    assert [t["name"] for t in open_tasks(db, child_id=hollie)].count(LGM) == 1
    assert [t["rule"] for t in delivered.opened if t["name"] == LGM] == ["R21"]
    # A11: Ethan (DEMO-005) was already in care proceedings, at the final hearing step, when
    # he moved: the start of the LGM reviews the new version attaches to that step was armed as
    # he moved, once. His proceedings were issued 24 days before (web/demo.py), so the first
    # review falls due 6 weeks (42 days) after the issue: 18 days after the move, not before.
    ethan = find_child(db, "DEMO-005")
    review = "Review the care plan at the Legal Gateway Meeting"
    assert "Record the final hearing or an extension" in [t["name"] for t in open_tasks(db, child_id=ethan)]
    at(today + timedelta(days=17))
    assert not sweep(db).errors
    assert review not in [t["name"] for t in open_tasks(db, child_id=ethan)]
    at(today + timedelta(days=18))
    assert not sweep(db).errors
    at(today + timedelta(days=19))
    assert not sweep(db).errors
    assert [(t["name"], t["rule"]) for t in open_tasks(db, child_id=ethan) if t["name"] == review] == [(review, "R14")]


def test_P14_changing_the_s20_gateway_a_child_has_passed_is_still_refused(db):
    """Why P14 is a new gateway after the 12-week timer rather than a new condition on the
    entry gateway: an s20 child has already passed that gateway, and changing a done step
    would strand them (the move rule stays)."""
    publish(db, load_directory(DIAGRAMS, PROCESS), "tests")
    assert load_demo(db, PROCESS)
    bundle = load_directory(DIAGRAMS, PROCESS)
    name = "permanence_pathway.bpmn"
    old = "legal_status == \"s20\" and age_on(date_of_birth, looked_after_on) &lt;= 16"
    assert old in bundle.bpmn_files[name]
    bundle.bpmn_files[name] = bundle.bpmn_files[name].replace(
        old, "legal_status == \"s20\" and age_on(date_of_birth, add_weeks(looked_after_on, 12)) &lt;= 16")
    version, new = publish(db, bundle, "tests", note="the entry gateway changed")
    assert new
    stays = {c.child_name: c.reasons for c in plan_move(db, PROCESS, version.version) if not c.can_move}
    assert stays and all(any("s20_gateway" in r for r in reasons) for reasons in stays.values()), stays
