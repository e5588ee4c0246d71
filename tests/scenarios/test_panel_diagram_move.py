"""Running pathways move onto the new panel diagram (issue 11): the next review beside the
actions (P7), at the panel's own interval (B6), and the LGM referral branch (D18). The dry
run says which can move; those that can keep their open tasks and deadlines."""
import shutil
import subprocess
from datetime import date
from pathlib import Path

from engine import publish
from engine.migration import move_instances, plan_move
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS
from .conftest import PPM_AREAS, PROCESS, Case

BEFORE = "79beefe"   # the last commit with the panel diagram before issue 11
#: The last commit before the panel's actions started what they name (D18, H6, C8, G8, G9).
BEFORE_ACTIONS = "c189633"
PANEL_FILES = ("permanence_panel.bpmn", "panel-outcome.json", "panel-outcome-uischema.json", "panel-actions.json")


def _old_diagrams(tmp_path: Path, commit: str = BEFORE,
                  names=PANEL_FILES) -> Path:
    folder = tmp_path / "before"
    shutil.copytree(DIAGRAMS, folder)
    for name in names:
        text = subprocess.run(["git", "show", f"{commit}:diagrams/{name}"], cwd=DIAGRAMS.parent,
                              capture_output=True, text=True, check=True).stdout
        (folder / name).write_text(text)
    return folder


def test_B6_P7_pathways_waiting_at_panel_steps_move_onto_the_new_panel_diagram(council_with_pathway, tmp_path):
    db = council_with_pathway
    old = _old_diagrams(tmp_path)
    version, _ = publish(db, load_directory(old, PROCESS), "tests")   # version 2: the old panel
    waiting = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co", reference="W-1")
    acting = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co", reference="A-1")
    for case in (waiting, acting):
        case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
                reunification_discussed=True, plan_identified=True, routes=["long_term_fostering"])
    acting.do("Record the first Permanence Panel outcome", on=date(2026, 4, 16), panel_held_on=date(2026, 4, 16),
              recommendation="Progress the match.", legal_advice_needed=False)
    acting.do("Record the panel actions", on=date(2026, 4, 17), actions=[
        {"action": "Matching report", "owner": "sw", "due_on": "2026-05-14"}])
    # On the old diagram the next review waits for every action (P7).
    assert "Record the Permanence Panel review" not in acting.names()

    new, _ = publish(db, load_directory(DIAGRAMS, PROCESS), "tests")
    plan = {c.child_id: c for c in plan_move(db, PROCESS, new.version)}
    assert plan[waiting.child_id].can_move, plan[waiting.child_id].reasons
    report = move_instances(db, PROCESS, new.version, "senior")
    assert waiting.instance_id in report.moved
    # The child still waiting for their first panel keeps its R10 deadline, and from there
    # runs the new diagram: the review opens beside the actions, at the panel's interval.
    assert waiting.due("Record the first Permanence Panel outcome") == (date(2026, 4, 27), "R10")
    waiting.do("Record the first Permanence Panel outcome", on=date(2026, 4, 23), panel_held_on=date(2026, 4, 23),
               recommendation="Progress the match.", legal_advice_needed=False, review_weeks=8)
    waiting.do("Record the panel actions", on=date(2026, 4, 24), actions=[
        {"action": "Matching report", "owner": "sw", "due_on": "2026-05-21"}])
    assert waiting.due("Record the Permanence Panel review") == (date(2026, 6, 18), "R12")
    # A child whose actions are already under way on the old diagram stays on it, and the
    # dry run says why: the steps it did are changed (they now lead to the review as well).
    assert plan[acting.child_id].can_move is False and acting.instance_id not in report.moved
    assert "'Record the panel actions (record_panel_actions)' was done and is changed in the new version" \
        in plan[acting.child_id].reasons
    assert acting.due("Complete the panel action") == (date(2026, 5, 14), "R12")


def test_D18_H6_pathways_waiting_for_their_panel_move_onto_the_diagram_whose_actions_start_work(council_with_pathway, tmp_path):
    db = council_with_pathway
    old = _old_diagrams(tmp_path, BEFORE_ACTIONS, PANEL_FILES + (
        "ppm.json", "ppm-uischema.json", "ppm-review.json", "ppm-review-uischema.json"))
    publish(db, load_directory(old, PROCESS), "tests")
    waiting = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co", reference="W-1")
    acting = Case.start(db, date(2026, 3, 2), date(2015, 1, 1), legal_status="co", reference="A-1")
    for case in (waiting, acting):
        case.do("Hold the initial PPM", on=date(2026, 3, 9), held_on=date(2026, 3, 9), **PPM_AREAS,
                reunification_discussed=True, plan_identified=True, routes=["long_term_fostering"])
    acting.do("Record the first Permanence Panel outcome", on=date(2026, 4, 16), panel_held_on=date(2026, 4, 16),
              recommendation="Progress the match.", legal_advice_needed=False)
    acting.do("Record the panel actions", on=date(2026, 4, 17), actions=[
        {"type": "convene_cla_review", "action": "Additional review", "owner": "iro", "due_on": "2026-05-14"}])
    # On the old diagram an action of this type started nothing.
    assert "Hold the additional CLA review the panel asked for" not in acting.names()

    new, _ = publish(db, load_directory(DIAGRAMS, PROCESS), "tests")
    plan = {c.child_id: c for c in plan_move(db, PROCESS, new.version)}
    assert plan[waiting.child_id].can_move, plan[waiting.child_id].reasons
    report = move_instances(db, PROCESS, new.version, "senior")
    assert waiting.instance_id in report.moved
    assert waiting.due("Record the first Permanence Panel outcome") == (date(2026, 4, 27), "R10")
    waiting.do("Record the first Permanence Panel outcome", on=date(2026, 4, 23), panel_held_on=date(2026, 4, 23),
               recommendation="Progress the match.", legal_advice_needed=False)
    waiting.do("Record the panel actions", on=date(2026, 4, 24), actions=[
        {"type": "convene_cla_review", "action": "Additional review", "owner": "iro", "due_on": "2026-05-21"}])
    assert waiting.due("Hold the additional CLA review the panel asked for") == (date(2026, 5, 21), "R12")
    waiting.sweep(date(2026, 5, 22))
    assert waiting.task("Escalate: panel action missed")["lane"] == "Service Manager"
    # A child whose actions are under way stays on the old diagram, and the dry run says why.
    assert plan[acting.child_id].can_move is False and acting.instance_id not in report.moved
    assert plan[acting.child_id].reasons
    assert acting.due("Complete the panel action") == (date(2026, 5, 14), "R12")
