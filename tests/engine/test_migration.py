"""Moving running pathways to a new diagram version: the dry run, the batch, the deadlines."""
from datetime import date, datetime, timezone

from sqlalchemy import select

from engine import publish, register_child, sweep
from engine.migration import move_instances, plan_move
from models import AuditEvent, Deadline, PathwayInstance

from ..conftest import child_details, set_clock
from .helpers import audit_kinds, instance_row
from .test_publishing import _bundle

RENAMED = ('<bpmn:userTask id="record_review_ppm" name="Record review PPM">',
           '<bpmn:userTask id="record_review_ppm" name="Record the review PPM">')


def _without_escalation():
    bundle = _bundle()
    xml = bundle.bpmn_files["demo_pathway.bpmn"]
    start = xml.index('    <bpmn:boundaryEvent id="initial_ppm_overdue"')
    end = xml.index('    <bpmn:exclusiveGateway id="plan_gateway"')
    xml = xml[:start] + xml[end:]
    for flow in ("flow_to_chase", "flow_chase_done"):
        i = xml.index(f'<bpmn:sequenceFlow id="{flow}"')
        xml = xml[:i] + xml[xml.index("/>", i) + 2:]
    for lane_ref in ("initial_ppm_overdue", "chase_initial_ppm", "escalation_handled"):
        xml = xml.replace(f"<bpmn:flowNodeRef>{lane_ref}</bpmn:flowNodeRef>", "")
    for di in ("initial_ppm_overdue_di", "chase_initial_ppm_di", "escalation_handled_di", "flow_to_chase_di",
               "flow_chase_done_di"):
        i = xml.index(f'id="{di}"')
        i = xml.rindex("<bpmndi:", 0, i)
        tag = xml[i + 1:xml.index(" ", i)]
        xml = xml[:i] + xml[xml.index(f"</{tag}>", i) + len(tag) + 3:]
    return type(bundle)(bundle.process_id, {"demo_pathway.bpmn": xml}, bundle.form_files)


def test_a_move_keeps_running_deadlines(council):
    child = register_child(council, child_details(), "sw", process_id="demo_pathway")
    before = instance_row(council, child.outcome.instance_id)
    version, _ = publish(council, _bundle(replace=[RENAMED]), "po")
    [candidate] = plan_move(council, "demo_pathway", version.version)
    assert (candidate.can_move, candidate.from_version, candidate.reasons) == (True, 1, [])
    report = move_instances(council, "demo_pathway", version.version, "po")
    assert report.moved == [child.outcome.instance_id] and report.not_moved == []
    after = instance_row(council, child.outcome.instance_id)
    assert after.diagram_version_id == version.id
    # The R7 clock keeps the date it had: overdue from 00:00 on 17 March.
    assert after.next_due_at == before.next_due_at == datetime(2026, 3, 17, tzinfo=timezone.utc)
    with council.transaction() as s:
        assert [(d.rule, d.due_on, d.status) for d in s.scalars(select(Deadline))] == [
            ("R7", date(2026, 3, 16), "running")]
        moved = s.scalar(select(AuditEvent).where(AuditEvent.kind == "migrated"))
    assert (moved.actor_name, moved.detail) == ("Pam Owner", {"from_version": 1, "to_version": 2})
    set_clock(2026, 3, 17, 0, 1)
    assert sweep(council).timers_fired == 1   # and it still fires on time


def test_a_pathway_that_did_what_the_new_version_removes_stays_and_says_why(council):
    on_time = register_child(council, child_details(reference="C-1"), "sw", process_id="demo_pathway")
    set_clock(2026, 3, 17, 9)
    escalated = register_child(council, child_details(reference="C-2", looked_after_on="2026-03-02"), "sw", process_id="demo_pathway")
    sweep(council)  # C-2's R7 escalation fires
    # C-1 was registered on 2 March too: its escalation fired in the same sweep. Register a
    # third child today, whose clock is still running.
    fresh = register_child(council, child_details(reference="C-3", looked_after_on="2026-03-17"), "sw", process_id="demo_pathway")
    version, _ = publish(council, _without_escalation(), "po")
    plan = {c.instance_id: c for c in plan_move(council, "demo_pathway", version.version)}
    blocked = plan[escalated.outcome.instance_id]
    assert not blocked.can_move
    assert "'Initial PPM deadline (initial_ppm_overdue)' was done and is removed in the new version" in blocked.reasons
    assert plan[fresh.outcome.instance_id].can_move
    report = move_instances(council, "demo_pathway", version.version, "po")
    assert report.moved == [fresh.outcome.instance_id]
    assert {c.instance_id for c in report.not_moved} == {on_time.outcome.instance_id, escalated.outcome.instance_id}
    assert instance_row(council, escalated.outcome.instance_id).diagram_version_id != version.id
    assert "migrated" not in audit_kinds(council, escalated.outcome.instance_id)
    # The moved pathway has no escalation clock any more: it no longer shows as running.
    with council.transaction() as s:
        clocks = s.scalars(select(Deadline).where(Deadline.instance_id == fresh.outcome.instance_id)).all()
        assert [d.status for d in clocks] == ["cancelled"]
        assert s.get(PathwayInstance, fresh.outcome.instance_id).next_due_at is None


def test_a_child_at_a_task_the_new_version_removes_cannot_move(council):
    child = register_child(council, child_details(), "sw", process_id="demo_pathway")
    bundle = _bundle()
    xml = bundle.bpmn_files["demo_pathway.bpmn"].replace("record_initial_ppm", "record_first_ppm")
    version, _ = publish(council, type(bundle)(bundle.process_id, {"demo_pathway.bpmn": xml}, bundle.form_files), "po")
    [candidate] = plan_move(council, "demo_pathway", version.version)
    assert not candidate.can_move
    assert "the child is at 'Record initial PPM (record_initial_ppm)', which is removed in the new version" \
        in candidate.reasons
    assert move_instances(council, "demo_pathway", version.version, "po").moved == []
    assert instance_row(council, child.outcome.instance_id).diagram_version_id == 1
