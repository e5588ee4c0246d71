"""Moves judged on what the child really did: a pathway in error is refused; work pruned from
the stored state is checked against the recorded history (human_task rows, fired timers); a
cosmetic change does not strand anyone; after a move the inbox shows the new version's open
tasks (names, lanes, forms)."""
from sqlalchemy import select

from engine import complete_task, publish, register_child
from engine.migration import move_instances, plan_move
from models import HumanTask

from ..conftest import child_details, set_clock
from ..workflows.bpmn import bundle
from .helpers import INITIAL_PPM, audit_kinds, instance_row, only_open_task
from .test_publishing import _bundle

TIMER = ('<bpmn:intermediateCatchEvent id="wait" name="Wait for the review"><bpmn:timerEventDefinition id="t">'
         '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">overdue_from(looked_after_on) if legal_status != "s20" '
         'else "next week"</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')


def _at_review(db, reference="C-1") -> int:
    """A child whose initial PPM is done (and pruned from the stored state): at the review PPM."""
    child = register_child(db, child_details(reference=reference), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 11)  # the day after the meeting held on 10 March
    task = only_open_task(db, child.child_id)
    complete_task(db, task["task_id"], INITIAL_PPM, "sw")
    assert only_open_task(db, child.child_id)["name"] == "Record review PPM"
    return child.outcome.instance_id


def test_a_pathway_in_error_cannot_move(council):
    publish(council, bundle("waits", TIMER, [("start", "wait"), ("wait", "end")]), "po")
    stopped = register_child(council, child_details(legal_status="s20"), "sw", process_id="waits")
    assert instance_row(council, stopped.outcome.instance_id).status == "error"
    renamed = TIMER.replace('name="Wait for the review"', 'name="Wait for the next review"')
    version, _ = publish(council, bundle("waits", renamed, [("start", "wait"), ("wait", "end")]), "po")
    [candidate] = plan_move(council, "waits", version.version)
    assert not candidate.can_move
    assert candidate.reasons[0].startswith("the pathway is stopped in error (Wait for the review (wait) in "
                                           "waits.bpmn: the timer expression gives 'next week'")
    assert move_instances(council, "waits", version.version, "po").moved == []
    assert "migrated" not in audit_kinds(council, stopped.outcome.instance_id)


def test_work_pruned_from_the_state_is_checked_against_the_recorded_history(council):
    instance_id = _at_review(council)
    b = _bundle()
    xml = b.bpmn_files["demo_pathway.bpmn"].replace("record_initial_ppm", "record_first_ppm")
    version, _ = publish(council, type(b)(b.process_id, {"demo_pathway.bpmn": xml}, b.form_files), "po")
    [candidate] = plan_move(council, "demo_pathway", version.version)
    assert not candidate.can_move
    assert "'Record initial PPM (record_initial_ppm)' was done and is removed in the new version" in candidate.reasons
    assert move_instances(council, "demo_pathway", version.version, "po").moved == []
    assert instance_row(council, instance_id).diagram_version_id == 1


def test_a_done_task_changed_in_substance_blocks_even_when_pruned(council):
    _at_review(council)
    changed = _bundle(replace=[('value="initial-ppm.json"', 'value="review-ppm.json"')])
    version, _ = publish(council, changed, "po")
    [candidate] = plan_move(council, "demo_pathway", version.version)
    assert candidate.reasons == ["'Record initial PPM (record_initial_ppm)' was done and is changed in the new version"]


def test_a_done_steps_due_date_reckoned_anew_is_history_and_moves(council):
    """How a done step's due date and deadline are worked out is history once it is done (its
    due date and whether it was met are recorded): a new reckoning, such as B21's next PPM
    date, applies to the steps to come and strands no one."""
    instance_id = _at_review(council)
    sooner = _bundle(replace=[("add_working_days(looked_after_on, 10)", "add_working_days(looked_after_on, 8)")])
    version, _ = publish(council, sooner, "po")
    [candidate] = plan_move(council, "demo_pathway", version.version)
    assert (candidate.can_move, candidate.reasons) == (True, [])
    assert move_instances(council, "demo_pathway", version.version, "po").moved == [instance_id]


def test_a_cosmetic_change_moves_and_the_inbox_shows_the_new_version(council):
    instance_id = _at_review(council)
    at_start = register_child(council, child_details(reference="C-2", looked_after_on="2026-03-11"), "sw",
                              process_id="demo_pathway")
    cosmetic = _bundle(replace=[
        ('<bpmn:userTask id="record_initial_ppm" name="Record initial PPM">',
         '<bpmn:userTask id="record_initial_ppm" name="Record the initial PPM">'),
        ("R7: the initial Permanency Planning Meeting is held", "R7: the first Permanency Planning Meeting is held"),
        ('<bpmn:userTask id="record_review_ppm" name="Record review PPM">',
         '<bpmn:userTask id="record_review_ppm" name="Record the review PPM">'),
        ('value="review-ppm.json"', 'value="escalation.json"'),
        ("<bpmn:flowNodeRef>record_review_ppm</bpmn:flowNodeRef>", ""),
        ("<bpmn:flowNodeRef>chase_initial_ppm</bpmn:flowNodeRef>",
         "<bpmn:flowNodeRef>chase_initial_ppm</bpmn:flowNodeRef><bpmn:flowNodeRef>record_review_ppm</bpmn:flowNodeRef>")])
    version, _ = publish(council, cosmetic, "po")
    plan = {c.instance_id: c for c in plan_move(council, "demo_pathway", version.version)}
    assert plan[instance_id].reasons == [] and plan[at_start.outcome.instance_id].reasons == []
    report = move_instances(council, "demo_pathway", version.version, "po")
    assert sorted(report.moved) == sorted([instance_id, at_start.outcome.instance_id])
    with council.transaction() as s:
        rows = s.scalars(select(HumanTask).where(HumanTask.status == "open").order_by(HumanTask.instance_id)).all()
        shown = [(r.instance_id, r.name, r.lane, r.form, r.assignee_id is None) for r in rows]
    assert shown == [(instance_id, "Record the review PPM", "Team Manager", "escalation.json", True),
                     (at_start.outcome.instance_id, "Record the initial PPM", "Social Worker", "initial-ppm.json", False)]
