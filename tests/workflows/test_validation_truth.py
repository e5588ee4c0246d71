"""Validation tells the truth and where: no refusal for a wrong reason (event subprocesses,
SpiffArena's UI schemas and metadata, plain and manual tasks), and every problem, the
parser's included, has its file, line and element in words a process owner understands."""
import pytest

from engine.errors import DiagramInvalid
from engine.publishing import validate
from workflows.diagrams import DiagramBundle, Problem

from .bpmn import NOTE_FORM, bundle, process_xml, user_task

LATE = ('<bpmn:subProcess id="late" name="If a court order arrives" triggeredByEvent="true">'
        '<bpmn:startEvent id="late_start" isInterrupting="false">'
        '<bpmn:messageEventDefinition id="late_message" messageRef="court_order" /></bpmn:startEvent>'
        '<bpmn:scriptTask id="flag" name="Flag"><bpmn:script>ordered = True</bpmn:script></bpmn:scriptTask>'
        '<bpmn:endEvent id="late_end" />'
        '<bpmn:sequenceFlow id="l1" sourceRef="late_start" targetRef="flag" />'
        '<bpmn:sequenceFlow id="l2" sourceRef="flag" targetRef="late_end" /></bpmn:subProcess>')


def _problems(b: DiagramBundle) -> list[Problem]:
    with pytest.raises(DiagramInvalid) as caught:
        validate(b)
    return list(caught.value.problems)


def test_an_event_subprocess_needs_no_outgoing_flow():
    validate(bundle("p", LATE + user_task("record"), [("start", "record"), ("record", "end")],
                    {"note.json": NOTE_FORM}, lanes={"Social Worker": ["record"]},
                    extra='<bpmn:message id="court_order" name="court_order" />'))


def test_plain_and_manual_tasks_need_a_lane_but_no_form():
    elements = '<bpmn:task id="call" name="Phone the family" /><bpmn:manualTask id="visit" name="Visit" />'
    flows = [("start", "call"), ("call", "visit"), ("visit", "end")]
    validate(bundle("p", elements, flows, lanes={"Social Worker": ["call", "visit"]}))
    assert [(p.element, p.message) for p in _problems(bundle("p", elements, flows))] == [
        ("Phone the family (call)", "task is not in a lane: put it in the lane of the role that does it"),
        ("Visit (visit)", "manual task is not in a lane: put it in the lane of the role that does it")]


def test_spiffarena_ui_schemas_and_metadata_are_not_forms():
    review = {"title": "Review", "type": "object", "properties": {
        "held_on": {"type": "string", "format": "date", "title": "Held on"},
        "notes": {"type": "string", "title": "Notes"}}}
    b = bundle("p", user_task("record", form="review-schema.json"), [("start", "record"), ("record", "end")],
               {"review-schema.json": review, "review-uischema.json": {"ui:order": ["notes", "held_on"]},
                "other.json": review, "other_ui.json": {"ui:order": ["notes", "held_on"]},
                "process_model.json": {"display_name": "Review", "primary_process_id": "p",
                                       "primary_file_name": "p.bpmn", "files": []}},
               lanes={"Social Worker": ["record"]})
    parsed = validate(b)
    assert sorted(parsed.forms) == ["other.json", "review-schema.json"]
    assert [f.name for f in parsed.forms["review-schema.json"].fields] == ["notes", "held_on"]
    assert [f.name for f in parsed.forms["other.json"].fields] == ["notes", "held_on"]


def test_a_missing_called_process_is_placed_at_the_call_activity():
    call = '<bpmn:callActivity id="call_it" name="Hold the review" calledElement="reviews" />'
    [problem] = _problems(bundle("p", call, [("start", "call_it"), ("call_it", "end")]))
    assert (problem.file, problem.line, problem.element) == ("p.bpmn", 7, "Hold the review (call_it)")
    assert problem.message.startswith("calls the process 'reviews', which is in none of the draft's files "
                                      "(the processes in the files are: p (p.bpmn))")


def test_a_missing_main_process_says_to_choose_it():
    [problem] = _problems(DiagramBundle("nope", {"p.bpmn": process_xml("p", "", [("start", "end")])}))
    assert problem.element == "main process"
    assert problem.message.startswith("the draft publishes the process 'nope', which is in none of its files")


def test_duplicate_ids_are_placed():
    [problem] = _problems(bundle("p", '<bpmn:scriptTask id="end" name="Twin"><bpmn:script>x = 1</bpmn:script>'
                                      "</bpmn:scriptTask>", [("start", "end")]))
    assert (problem.file, problem.line, problem.element) == ("p.bpmn", 8, "end")
    assert problem.message.startswith("the id 'end' is used by more than one element of this file")
    one = process_xml("p", "", [("start", "end")])
    [problem] = _problems(DiagramBundle("p", {"a.bpmn": one, "b.bpmn": one}))
    assert (problem.file, problem.line, problem.element) == ("b.bpmn", 4, "p")
    assert problem.message.startswith("the process id 'p' is also used in a.bpmn")


def test_not_executable_is_placed_and_explained():
    xml = process_xml("p", "", [("start", "end")]).replace('isExecutable="true"', 'isExecutable="false"')
    [problem] = _problems(DiagramBundle("p", {"p.bpmn": xml}))
    assert (problem.file, problem.line, problem.element) == ("p.bpmn", 4, "p")
    assert problem.message.startswith('process is marked not executable (isExecutable="false")')


def test_a_camunda_service_task_is_explained_in_plain_words():
    task = ('<bpmn:serviceTask id="notify" name="Notify the IRO" camunda:class="org.council.Notify" '
            'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" />')
    [problem] = _problems(bundle("p", task, [("start", "notify"), ("notify", "end")]))
    assert (problem.file, problem.line, problem.element) == ("p.bpmn", 7, "Notify the IRO (notify)")
    assert "operator" not in problem.message
    assert problem.message.startswith("service task has nothing this system can run")


def test_an_engine_error_inside_a_subprocess_has_its_line():
    sub = ('<bpmn:subProcess id="inner" name="Inner"><bpmn:startEvent id="is" />'
           '<bpmn:sequenceFlow id="i1" sourceRef="is" targetRef="is_task" />'
           '<bpmn:scriptTask id="is_task" name="Work"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>'
           "</bpmn:subProcess>")
    problems = _problems(bundle("p", sub, [("start", "inner"), ("inner", "end")]))
    assert all(p.file == "p.bpmn" and p.line and p.element for p in problems), problems
