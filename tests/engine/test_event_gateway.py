"""Timers behind an event-based gateway ("whichever comes first"): the projection finds them,
so the sweep fires them, and the rehearsal offers the next timer."""
from datetime import date, datetime, timezone

from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition

from engine import clock, position, publish, register_child, sweep
from engine.authoring import SampleChild, rehearse, take_step, to_next_timer
from engine.runtime import advance, new_workflow
from engine.specs import LoadedVersion
from engine.statutory_clocks import how_met, statutory_clocks
from workflows.diagrams import parse_bundle

from ..conftest import child_details, set_clock
from ..workflows.bpmn import NOTE_FORM, bundle, user_task
from .helpers import audit_kinds, instance_row, only_open_task

ELEMENTS = ('<bpmn:eventBasedGateway id="first" name="Order or ten days?" />'
            '<bpmn:intermediateCatchEvent id="ten_days" name="Ten working days">'
            '<bpmn:timerEventDefinition id="ten_days_timer"><bpmn:timeDate xsi:type="bpmn:tFormalExpression">'
            "overdue_from(add_working_days(looked_after_on, 10))</bpmn:timeDate></bpmn:timerEventDefinition>"
            "</bpmn:intermediateCatchEvent>"
            '<bpmn:intermediateCatchEvent id="order" name="Court order made">'
            '<bpmn:messageEventDefinition id="order_message" messageRef="court_order" />'
            "</bpmn:intermediateCatchEvent>" + user_task("chase"))
FLOWS = [("start", "first"), ("first", "ten_days"), ("first", "order"), ("ten_days", "chase"),
         ("chase", "end"), ("order", "end")]


def _gateway_bundle():
    return bundle("whichever_first", ELEMENTS, FLOWS, {"note.json": NOTE_FORM},
                  lanes={"Team Manager": ["chase"]}, extra='<bpmn:message id="court_order" name="court_order" />')


def test_a_timer_behind_an_event_based_gateway_is_swept(council):
    publish(council, _gateway_bundle(), "po")
    registered = register_child(council, child_details(), "sw", process_id="whichever_first")
    instance = instance_row(council, registered.outcome.instance_id)
    # Looked after on 2 March 2026: ten working days is 16 March, overdue from 17 March 00:00 London.
    assert instance.next_due_at.replace(tzinfo=timezone.utc) == datetime(2026, 3, 17, 0, 0, tzinfo=timezone.utc)
    set_clock(2026, 3, 17, 9)
    report = sweep(council)
    assert (report.timers_fired, report.errors) == (1, [])
    assert only_open_task(council, registered.child_id)["name"] == "Chase"
    assert "timer_fired" in audit_kinds(council, instance.id)


def test_the_rehearsal_offers_the_next_timer_behind_an_event_based_gateway():
    parsed = parse_bundle(_gateway_bundle())
    start = rehearse(parsed, SampleChild(), [])
    assert start.next_timer is not None
    fired = take_step(parsed, start.child, start.steps, to_next_timer(start))
    assert "Timer fired: Ten working days" in [h.text for h in fired.log]
    assert [t.bpmn_id for t in fired.open_tasks] == ["chase"]


RULED = ELEMENTS.replace(
    '<bpmn:intermediateCatchEvent id="ten_days" name="Ten working days">',
    '<bpmn:intermediateCatchEvent id="ten_days" name="Ten working days"><bpmn:extensionElements>'
    '<spiffworkflow:properties><spiffworkflow:property name="rule" value="R7" />'
    '<spiffworkflow:property name="dueDate" value="add_working_days(looked_after_on, 10)" />'
    "</spiffworkflow:properties></bpmn:extensionElements>")


def _ruled_bundle():
    return bundle("whichever_first", RULED, FLOWS, {"note.json": NOTE_FORM},
                  lanes={"Team Manager": ["chase"]}, extra='<bpmn:message id="court_order" name="court_order" />')


def test_a_statutory_clock_behind_an_event_based_gateway_runs_and_is_missed(council):
    publish(council, _ruled_bundle(), "po")
    registered = register_child(council, child_details(), "sw", process_id="whichever_first")
    [clock_row] = position(council, registered.child_id).deadlines
    assert (clock_row["rule"], clock_row["due_on"], clock_row["status"]) == ("R7", date(2026, 3, 16), "running")
    set_clock(2026, 3, 17, 9)
    sweep(council)
    [clock_row] = position(council, registered.child_id).deadlines
    assert clock_row["status"] == "missed"
    assert "deadline_missed" in audit_kinds(council, registered.outcome.instance_id)


def test_a_statutory_clock_behind_an_event_based_gateway_is_met_when_the_other_event_wins():
    parsed = parse_bundle(_ruled_bundle())
    loaded = LoadedVersion(0, "whichever_first", 0, parsed.spec, parsed.subprocess_specs, parsed.forms)
    # The sample child became looked after on 16 February: the clock runs out on 2 March.
    with clock.frozen_at(datetime(2026, 2, 16, 9, tzinfo=timezone.utc)):
        workflow = new_workflow(loaded, SampleChild().case_data())
        advance(workflow)
        [waiting] = statutory_clocks(workflow.get_tasks())
        assert (waiting.status, waiting.spec.bpmn_id, waiting.props.rule) == ("waiting", "ten_days", "R7")
    with clock.frozen_at(datetime(2026, 2, 27, 9, tzinfo=timezone.utc)):
        workflow.send_event(BpmnEvent(MessageEventDefinition("court_order"), {}))
        advance(workflow)
        [ended] = statutory_clocks(workflow.get_tasks())
        assert ended.key == waiting.key and ended.status == "ended"
        assert how_met(ended) == ("met", date(2026, 2, 27))
