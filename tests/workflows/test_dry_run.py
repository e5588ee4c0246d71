"""What validation passes, runs: the dry run exercises the code a child will meet (scripts,
pre- and post-scripts, loops, multi-instance collections, the type of what a timer or a
dueDate gives, blank optional answers at gateways), each problem with its element."""
import pytest

from engine.errors import DiagramInvalid
from engine.publishing import validate

from .bpmn import NOTE_FORM, bundle, user_task

LANE = {"Social Worker": ["record"]}


def _problems(*args, **kwargs) -> list[str]:
    with pytest.raises(DiagramInvalid) as caught:
        validate(bundle(*args, **kwargs))
    return [str(p) for p in caught.value.problems]


def _script(task_id, source):
    return f'<bpmn:scriptTask id="{task_id}" name="{task_id}"><bpmn:script>{source}</bpmn:script></bpmn:scriptTask>'


def test_a_failing_script_task_is_reported_not_swallowed():
    problems = _problems("p", _script("divide", "ratio = 1 / 0"), [("start", "divide"), ("divide", "end")])
    assert problems == ["p.bpmn:7 [divide (divide)]: script fails on sample data: ZeroDivisionError: "
                        "division by zero (ratio = 1 / 0)"]


def test_pre_and_post_scripts_are_run():
    scripts = ('<spiffworkflow:preScript>due = undefined_name + 1</spiffworkflow:preScript>'
               '<spiffworkflow:postScript>total = note + 1</spiffworkflow:postScript>')
    task = user_task("record").replace("<spiffworkflow:properties>", scripts + "<spiffworkflow:properties>")
    problems = _problems("p", task, [("start", "record"), ("record", "end")], {"note.json": NOTE_FORM},
                         lanes=LANE)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "preScript uses 'undefined_name', which no form or script of the diagram sets (due = undefined_name + 1)",
        'postScript fails on sample data: TypeError: can only concatenate str (not "int") to str '
        "(total = note + 1)"]


def test_a_loop_condition_is_run():
    loop = ('<bpmn:scriptTask id="count" name="Count"><bpmn:standardLoopCharacteristics>'
            "<bpmn:loopCondition>counted &gt; limit</bpmn:loopCondition></bpmn:standardLoopCharacteristics>"
            "<bpmn:script>counted = 1</bpmn:script></bpmn:scriptTask>")
    problems = _problems("p", loop, [("start", "count"), ("count", "end")])
    assert problems == ["p.bpmn:7 [Count (count)]: loopCondition uses 'limit', which no form or script "
                        "of the diagram sets (counted > limit)"]


def test_a_missing_multi_instance_collection_is_an_error_not_one_empty_item():
    task = user_task("record", due="item['due_on']", inner=(
        '<bpmn:multiInstanceLoopCharacteristics isSequential="false">'
        "<bpmn:loopDataInputRef>meetings</bpmn:loopDataInputRef>"
        '<bpmn:inputDataItem id="item" name="item" /></bpmn:multiInstanceLoopCharacteristics>'))
    problems = _problems("p", task, [("start", "record"), ("record", "end")], {"note.json": NOTE_FORM},
                         lanes=LANE)
    assert problems[0] == ("p.bpmn:7 [Record (record)]: multi-instance collection 'meetings' is not set by "
                           "any form or script of the diagram: a child reaching it would stop with an error")


def test_a_multi_instance_completion_condition_and_cardinality_are_run():
    task = ('<bpmn:scriptTask id="each" name="Each"><bpmn:multiInstanceLoopCharacteristics>'
            "<bpmn:loopCardinality>'three'</bpmn:loopCardinality>"
            "<bpmn:completionCondition>done_count &gt; 2</bpmn:completionCondition>"
            "</bpmn:multiInstanceLoopCharacteristics><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>")
    problems = _problems("p", task, [("start", "each"), ("each", "end")])
    assert [p.split(": ", 1)[1] for p in problems] == [
        "multi-instance cardinality gives 'three' (str), not a whole number ('three')",
        "multi-instance completion condition uses 'done_count', which no form or script of the "
        "diagram sets (done_count > 2)"]


@pytest.mark.parametrize("expression, kind, shown", [
    ("42", "timeDuration", "gives 42 (int), not text"),
    ("600", "timeDate", "gives 600 (int), not text"),
    ("'next week'", "timeDuration", "gives 'next week', which is not an ISO 8601 duration"),
    ('"10 minutes"', "timeDuration", "gives '10 minutes', which is not an ISO 8601 duration"),
    ("'next week'", "timeDate", "gives 'next week', which is not an ISO 8601 date"),
    ('"P10D"', "timeDate", "gives the duration 'P10D' but is a date timer (timeDate)"),
    ('"every six weeks"', "timeCycle", "gives 'every six weeks', which is not an ISO 8601 cycle"),
    ("looked_after_on", "timeDate", "gives datetime.date(2026, 2, 16) (date), not text"),
])
def test_a_timer_must_give_iso_8601_of_its_kind(expression, kind, shown):
    timer = (f'<bpmn:intermediateCatchEvent id="wait" name="Wait"><bpmn:timerEventDefinition id="t">'
             f'<bpmn:{kind} xsi:type="bpmn:tFormalExpression">{expression}</bpmn:{kind}>'
             "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>")
    problems = _problems("p", timer, [("start", "wait"), ("wait", "end")])
    assert len(problems) == 1
    assert problems[0].startswith("p.bpmn:7 [Wait (wait)]: timer expression")
    assert shown in problems[0]


@pytest.mark.parametrize("expression", ['"P10D"', '"PT10M"', '"R3/P6W"', "overdue_from(add_working_days(looked_after_on, 10))"])
def test_good_timers_pass(expression):
    kind = {'"R3/P6W"': "timeCycle"}.get(expression, "timeDate" if "(" in expression else "timeDuration")
    timer = (f'<bpmn:intermediateCatchEvent id="wait" name="Wait"><bpmn:timerEventDefinition id="t">'
             f'<bpmn:{kind} xsi:type="bpmn:tFormalExpression">{expression}</bpmn:{kind}>'
             "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>")
    validate(bundle("p", timer, [("start", "wait"), ("wait", "end")]))


@pytest.mark.parametrize("due, shown", [("42", "gives 42 (int), not a date"),
                                        ("'next week'", "gives 'next week', which is not a date"),
                                        ("note", "gives 'Sample text', which is not a date"), ("True", "gives True (bool)")])
def test_a_due_date_must_give_a_date(due, shown):
    problems = _problems("p", user_task("record", due=due), [("start", "record"), ("record", "end")],
                         {"note.json": NOTE_FORM}, lanes=LANE)
    assert len(problems) == 1 and problems[0].startswith("p.bpmn:7 [Record (record)]: dueDate ")
    assert shown in problems[0]


def test_a_gateway_that_fails_on_a_blank_optional_answer_is_reported():
    elements = user_task("record") + '<bpmn:exclusiveGateway id="high" name="High?" default="flow_4" />'
    flows = [("start", "record"), ("record", "high"), ("high", "end", "score > 3"), ("high", "end")]
    problems = _problems("p", elements, flows, {"note.json": NOTE_FORM}, lanes=LANE)
    assert problems == [
        "p.bpmn:7 [High? (high)]: condition of the flow to end fails when the optional answer 'score' is "
        "left blank (TypeError: '>' not supported between instances of 'NoneType' and 'int'): test it "
        "first, for example 'score is not None and ...' (score > 3)"]
    guarded = [("start", "record"), ("record", "high"), ("high", "end", "score is not None and score > 3"),
               ("high", "end")]
    validate(bundle("p", elements, guarded, {"note.json": NOTE_FORM}, lanes=LANE))


def test_a_blank_answer_that_makes_every_condition_false_strands_the_child():
    elements = user_task("record") + '<bpmn:exclusiveGateway id="high" name="High?" />'
    flows = [("start", "record"), ("record", "high"), ("high", "end", "score is not None and score > 3"),
             ("high", "end", "score is not None and score <= 3")]
    problems = _problems("p", elements, flows, {"note.json": NOTE_FORM}, lanes=LANE)
    assert problems == ["p.bpmn:7 [High? (high)]: no default flow, and every condition is false when "
                        "score is left blank: add a default flow or a condition for that answer"]


def test_a_timer_behind_an_event_based_gateway_is_checked_too():
    elements = ('<bpmn:eventBasedGateway id="first" name="First" />'
                '<bpmn:intermediateCatchEvent id="wait" name="Wait"><bpmn:timerEventDefinition id="t">'
                '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"10 minutes"</bpmn:timeDuration>'
                "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
                '<bpmn:intermediateCatchEvent id="order" name="Order">'
                '<bpmn:messageEventDefinition id="m" messageRef="court_order" /></bpmn:intermediateCatchEvent>')
    problems = _problems("p", elements, [("start", "first"), ("first", "wait"), ("first", "order"),
                                         ("wait", "end"), ("order", "end")],
                         extra='<bpmn:message id="court_order" name="court_order" />')
    assert len(problems) == 1 and problems[0].startswith("p.bpmn:7 [First (first)]: timer expression (duration) "
                                                         "gives '10 minutes', which is not an ISO 8601 duration")


def _meetings_subprocess(due: str) -> str:
    """A script making a list of meetings, then a subprocess run once per meeting whose task
    is due on the meeting's date (as the panel runs each action: D18, H6)."""
    inner = user_task("record", due=due)
    return (_script("plan", "meetings = [{'due_on': '2026-03-20'}]")
            + '<bpmn:subProcess id="each"><bpmn:multiInstanceLoopCharacteristics isSequential="false">'
            "<bpmn:loopDataInputRef>meetings</bpmn:loopDataInputRef>"
            '<bpmn:inputDataItem id="meeting" name="meeting" /></bpmn:multiInstanceLoopCharacteristics>'
            '<bpmn:startEvent id="each_start" />' + inner + '<bpmn:endEvent id="each_end" />'
            '<bpmn:sequenceFlow id="in_1" sourceRef="each_start" targetRef="record" />'
            '<bpmn:sequenceFlow id="in_2" sourceRef="record" targetRef="each_end" /></bpmn:subProcess>')


def test_the_elements_of_a_subprocess_run_once_per_item_see_the_item():
    flows = [("start", "plan"), ("plan", "each"), ("each", "end")]
    validate(bundle("p", _meetings_subprocess("meeting['due_on']"), flows, {"note.json": NOTE_FORM}, lanes=LANE))
    problems = _problems("p", _meetings_subprocess("meeting['held_on']"), flows, {"note.json": NOTE_FORM}, lanes=LANE)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "dueDate fails on sample data: KeyError: 'held_on' (meeting['held_on'])"]
