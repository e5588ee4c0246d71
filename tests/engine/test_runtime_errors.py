"""Every runtime error names its element and its diagram file, including the failures
SpiffWorkflow raises bare (a timer value it cannot read), on starting, completing and sweeping."""
from pathlib import Path

from sqlalchemy import select

from engine import publish, register_child, sweep
from models import AuditEvent
from workflows.diagrams import load_directory

from ..conftest import child_details, set_clock
from ..workflows.bpmn import NOTE_FORM, bundle, user_task
from .helpers import instance_row

FRAGILE = Path(__file__).parent / "diagrams" / "fragile"
TIMER = ('<bpmn:intermediateCatchEvent id="wait" name="Wait for the review"><bpmn:timerEventDefinition id="t">'
         '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">overdue_from(looked_after_on) if legal_status != "s20" '
         'else "next week"</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')


def test_a_timer_value_the_engine_cannot_read_names_its_element_and_file(council):
    publish(council, bundle("waits", TIMER, [("start", "wait"), ("wait", "end")]), "po")
    registered = register_child(council, child_details(legal_status="s20"), "sw", process_id="waits")
    row = instance_row(council, registered.outcome.instance_id)
    assert row.status == "error"
    assert row.error_message.startswith("Wait for the review (wait) in waits.bpmn: the timer expression gives 'next week', which is not an ISO 8601 date")


def test_a_script_failing_in_the_sweep_names_its_element_and_file(council):
    publish(council, load_directory(FRAGILE, "fragile"), "tests")
    bad = register_child(council, child_details(legal_status="s20"), "sw", process_id="fragile")
    set_clock(2026, 3, 17, 9)
    errors = dict(sweep(council).errors)
    assert errors[bad.outcome.instance_id].startswith("Work out the ratio (divide) in fragile.bpmn: ")


def test_a_due_date_that_cannot_be_worked_out_is_audited_with_its_element_and_file(council):
    due = 'add_working_days(looked_after_on, 10) if legal_status != "s20" else add_weeks(date_of_birth, "six")'
    publish(council, bundle("dated", user_task("record", due=due), [("start", "record"), ("record", "end")],
                            {"note.json": NOTE_FORM}, lanes={"Social Worker": ["record"]}), "po")
    registered = register_child(council, child_details(legal_status="s20"), "sw", process_id="dated")
    with council.transaction() as s:
        messages = [e.detail["message"] for e in s.scalars(select(AuditEvent).where(
            AuditEvent.instance_id == registered.outcome.instance_id, AuditEvent.kind == "error"))]
    assert len(messages) == 1 and messages[0].startswith("Record (record) in dated.bpmn: The due date could not be worked out")
