"""The demo children move onto the family-and-friends route and reunification plan as issue 13
completed them (E3, E5, E8, E11, E12), with their running deadlines and open tasks kept.
The route as it was is in `before_kinship/`; the forms as they were are built here from
today's, by taking away what was added, so the test does not depend on the repository's
history."""
import copy
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from engine import FormInvalid, clock, complete_task, find_child, open_tasks, publish
from engine.migration import move_instances, plan_move
from models import TaskRecord
from web.demo import load_demo
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PROCESS
from .moving import running_work

BEFORE = Path(__file__).parent / "before_kinship"
ADDED_FORMS = ("kinship-foster-approval.json", "kinship-foster-approval-uischema.json", "sgo-support.json",
               "sgo-support-uischema.json", "cao-support.json", "cao-support-uischema.json")


def _forms_before(forms: dict) -> dict:
    """Today's forms less what E3, E5, E8, E11 and E12 added."""
    forms = copy.deepcopy(forms)
    for name in ADDED_FORMS:
        forms.pop(name, None)
    plan = forms["reunification-plan.json"]
    plan["required"] = ["agreed_on", "support_plan"]
    plan["properties"] = {k: plan["properties"][k] for k in ("agreed_on", "support_plan")}
    for key in ("x-rules", "description"):
        plan.pop(key, None)
    forms["reunification-plan-uischema.json"] = {"support_plan": {"ui:widget": "textarea"}}
    assessment = forms["connected-assessment.json"]
    assessment.pop("description", None)
    options = assessment["properties"]["assessment_recommendation"]["oneOf"]
    options[:] = [o for o in options if o["const"] != "approve_foster_carer"]
    for name in ("plan-achieved.json", "court-order.json"):
        forms[name]["x-rules"] = [r for r in forms[name].get("x-rules", [])
                                  if "kinship_fostering" not in r["when"] and "court_report_filed_on" not in r["when"]]
        if not forms[name]["x-rules"]:
            del forms[name]["x-rules"]
    return forms


def _before_bundle():
    bundle = load_directory(DIAGRAMS, PROCESS)
    bundle.bpmn_files["route_family_and_friends.bpmn"] = (BEFORE / "route_family_and_friends.bpmn").read_text()
    before = _forms_before(bundle.form_files)
    bundle.form_files.clear()
    bundle.form_files.update(before)
    return bundle


def test_E3_E8_E11_the_demo_children_move_onto_the_kinship_route_with_their_deadlines_kept(db, monkeypatch):
    from web import demo_kinship
    monkeypatch.setattr(demo_kinship, "load", lambda db, today: None)   # the demo as it was
    old = _before_bundle()
    assert "approve_foster_carer" not in json.dumps(old.form_files["connected-assessment.json"])
    version1, _ = publish(db, old, "tests")
    assert load_demo(db, PROCESS)
    deadlines, tasks = running_work(db)
    assert deadlines and tasks
    version2, new = publish(db, load_directory(DIAGRAMS, PROCESS), "tests", note="Kinship care")
    assert new and version2.version == version1.version + 1
    plan = plan_move(db, PROCESS, version2.version)
    assert [(c.child_name, c.reasons) for c in plan if not c.can_move] == []
    report = move_instances(db, PROCESS, version2.version, "olly.po")
    assert len(report.moved) == len(plan) and not report.not_moved
    assert running_work(db) == (deadlines, tasks)

    # Freya's open reunification plan now asks what must happen for her return home (E3).
    freya = find_child(db, "DEMO-006")
    [agree] = [t for t in open_tasks(db, child_id=freya) if t["name"] == "Agree the reunification support plan"]
    today = clock.today().isoformat()
    with pytest.raises(FormInvalid) as refused:
        complete_task(db, agree["task_id"], {"agreed_on": today, "support_plan": "Family support"}, "cara.sw")
    assert {"conditions", "explained_on", "explained_how", "sustaining_support"} <= set(refused.value.errors)
    # Hollie's grandparents' application, still waiting for notice to run, now leads to the
    # council's SGO support assessment and report (E11) before the order. Notice + 3 months:
    # the application on the 92nd day after notice, at the earliest allowed.
    hollie = find_child(db, "DEMO-008")
    [application] = [t for t in open_tasks(db, child_id=hollie) if t["name"] == "Record the application to the court"]
    made = _notice_given_on(db, hollie) + timedelta(days=92)
    with clock.frozen_at(datetime.combine(made, time(16, 0), tzinfo=clock.LONDON)):
        complete_task(db, application["task_id"], {"application_made_on": made.isoformat()}, "cara.sw")
        names = {t["name"] for t in open_tasks(db, child_id=hollie)}
    assert "Assess SGO support and file the court report" in names
    assert "Record the court's order" not in names


def _notice_given_on(db, child_id) -> date:
    with db.reading() as session:
        answers = session.scalar(select(TaskRecord.answers).where(
            TaskRecord.child_id == child_id, TaskRecord.bpmn_id == "check_applicant"))
    return date.fromisoformat(answers["notice_given_on"])


def test_E3_E8_the_demo_shows_freyas_conditions_and_islas_kinship_fostering(db):
    publish(db, load_directory(DIAGRAMS, PROCESS), "tests")
    assert load_demo(db, PROCESS)
    freya, isla = find_child(db, "DEMO-006"), find_child(db, "DEMO-010")
    with db.reading() as session:
        plan = session.scalar(select(TaskRecord.answers).where(
            TaskRecord.child_id == freya, TaskRecord.bpmn_id == "reunification_plan"))
    assert len(plan["conditions"]) == 3 and plan["explained_how"] == ["in_writing", "in_person"]
    assert "Record the return home" in {t["name"] for t in open_tasks(db, child_id=freya)}
    [approval] = [t for t in open_tasks(db, child_id=isla)
                  if t["name"] == "Record the approval as the child's foster carer"]
    assert approval["rule"] == "R8" and approval["lane"] == "Social Worker"
