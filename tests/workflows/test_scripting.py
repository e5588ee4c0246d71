"""Tests for the sandboxed script engine (workflows/scripting.py)."""

import datetime
import uuid
from pathlib import Path
from unittest import mock
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from workflows.scripting import (
    RestrictedEnvironment,
    ScriptRestrictionError,
    check_source,
    make_script_engine,
)


def add_working_days(start, days):
    """Stand-in for the real deadline function: plain calendar days."""
    return start + datetime.timedelta(days=days)


FUNCTIONS = {"add_working_days": add_working_days}


@pytest.fixture
def env():
    return RestrictedEnvironment(FUNCTIONS)


# --- a tiny diagram: start -> script -> gateway -(condition)-> yes / (default) no -> end

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="proc" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="prepare" name="Prepare plan">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>{script}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="route" name="Route" default="to_no">
      <bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>to_yes</bpmn:outgoing><bpmn:outgoing>to_no</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare" />
    <bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="route" />
    <bpmn:sequenceFlow id="to_yes" sourceRef="route" targetRef="yes">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_no" sourceRef="route" targetRef="no" />
    <bpmn:scriptTask id="yes" name="Yes"><bpmn:incoming>to_yes</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:script>outcome = "yes"</bpmn:script></bpmn:scriptTask>
    <bpmn:scriptTask id="no" name="No"><bpmn:incoming>to_no</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
      <bpmn:script>outcome = "no"</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="yes" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="no" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def run_diagram(script, condition="True", data=None, functions=FUNCTIONS):
    parser = SpiffBpmnParser(validator=VALIDATOR)
    xml = BPMN.format(script=escape(script), condition=escape(condition))
    parser.add_bpmn_str(xml.encode(), filename="test.bpmn")
    wf = BpmnWorkflow(parser.get_spec("proc"), script_engine=make_script_engine(functions))
    wf.get_tasks(spec_name="start")[0].data.update(data or {})
    wf.do_engine_steps()
    return wf


# --- ordinary diagram code keeps working

@pytest.mark.parametrize("expression, expected", [
    ("age >= 16 and plan != 'adoption'", True),
    ("'kinship' in options", True),
    ("data.get('route', 'none')", "court"),
    ("data.get('missing') is None", True),
    ("plan.lower() == 'sgo'", True),
    ("', '.join(names)", "Ann, Bo"),
    ("[n.upper() for n in names if len(n) > 2]", ["ANN"]),
    ("len(names) == 2 and max(scores) == 9 and sum(scores) == 12", True),
    ("sorted(d.items())", [("a", 1), ("b", 2)]),
    ("any(s > 5 for s in scores) and all(isinstance(s, int) for s in scores)", True),
    ("held_on.isoformat()", "2024-03-01"),
    ("add_working_days(held_on, 20)", datetime.date(2024, 3, 21)),
    ("names[0] + str(scores[-1]) + f'{age:03d}'", "Ann9016"),
    ("dict(zip(names, scores))", {"Ann": 3, "Bo": 9}),
])
def test_evaluate_plain_expressions(env, expression, expected):
    context = {
        "age": 16, "plan": "SGO", "options": ["kinship", "fostering"],
        "data": {"route": "court"}, "names": ["Ann", "Bo"], "scores": [3, 9],
        "d": {"b": 2, "a": 1}, "held_on": datetime.date(2024, 3, 1),
    }
    assert env.evaluate(expression, context) == expected


def test_execute_assigns_variables_and_cleans_up(env):
    context = {"actions": [], "counts": {"visits": 1}, "held_on": datetime.date(2024, 3, 1)}
    script = "\n".join([
        "actions.append('visit')",
        "counts['visits'] += 1",
        "counts['reviews'] = 0",
        "total = 0",
        "for key, value in counts.items():",
        "    total += value",
        "first, *rest = [1, 2, 3]",
        "label = 'x'",
        "label *= 3",
        "due = add_working_days(held_on, 5)",
        "def helper(v):",
        "    return v * 2",
        "doubled = helper(total)",
        "print('debug output is discarded')",
    ])
    assert env.execute(script, context) is True
    assert context["actions"] == ["visit"]
    assert context["counts"] == {"visits": 2, "reviews": 0}
    assert context["total"] == 2 and context["doubled"] == 4
    assert context["rest"] == [2, 3] and context["label"] == "xxx"
    assert context["due"] == datetime.date(2024, 3, 6)
    # no functions, builtins or guards left in task data
    for name in ("add_working_days", "helper", "__builtins__", "_print", "_getattr_", "len"):
        assert name not in context
    assert not any(callable(v) for v in context.values())


def test_execute_refuses_data_that_overwrites_a_function(env):
    with pytest.raises(ValueError, match="overwrites a predefined"):
        env.execute("x = 1", {"add_working_days": 3})


def test_diagram_runs_script_condition_and_function():
    wf = run_diagram(
        script="due = add_working_days(held_on, 2)\nurgent = plan.lower() in ['sgo', 'adoption']",
        condition="urgent and data.get('route') == 'court' and len(names) > 1",
        data={"plan": "SGO", "held_on": datetime.date(2024, 3, 1),
              "data": {"route": "court"}, "names": ["a", "b"]},
    )
    assert wf.is_completed()
    end = wf.get_tasks(spec_name="end")[0]
    assert end.data["outcome"] == "yes"
    assert end.data["due"] == datetime.date(2024, 3, 3)
    assert "add_working_days" not in end.data and "__builtins__" not in end.data


def test_diagram_default_flow_when_condition_false():
    wf = run_diagram(script="n = 1", condition="n > 1")
    assert wf.get_tasks(spec_name="end")[0].data["outcome"] == "no"


# --- things that must not run

@pytest.mark.parametrize("template, line, error_line", [
    ('import os\nos.system("touch {marker}")', 1, "import os"),
    ('x = 1\nif x:\n    from os import system\n    system("touch {marker}")', 3, "    from os import system"),
])
def test_import_in_script_task_cannot_run(template, line, error_line):
    marker = Path("/tmp") / f"pwned_{uuid.uuid4().hex}"
    with pytest.raises(WorkflowTaskException) as info:
        run_diagram(script=template.format(marker=marker))
    assert "imports are not allowed in diagram scripts" in str(info.value)
    assert f"(line {line}: {error_line.strip()})" in str(info.value)
    assert info.value.error_type == "ScriptRestrictionError"
    assert info.value.task.task_spec.name == "prepare"
    assert (info.value.line_number, info.value.error_line) == (line, error_line)
    assert not marker.exists()


def test_restriction_in_condition_names_the_problem():
    with pytest.raises(WorkflowTaskException) as info:
        run_diagram(script="n = 1", condition="().__class__.__bases__[0].__subclasses__()")
    message = str(info.value)
    assert "Error evaluating expression" in message
    assert "access to '__class__' is not allowed: names starting with '_' are private" in message
    assert info.value.error_type == "ScriptRestrictionError"


def test_runtime_restriction_in_script_keeps_line_number():
    with pytest.raises(WorkflowTaskException) as info:
        run_diagram(script='a = 1\nb = "{0.__class__}".format(a)')
    assert "str.format() is not allowed" in str(info.value)
    assert info.value.line_number == 2


def test_unavailable_builtin_in_script_reports_its_line():
    with pytest.raises(WorkflowTaskException) as info:
        run_diagram(script="y = 1\nz = open")
    assert "'open' is not available in diagram scripts" in str(info.value)
    assert (info.value.line_number, info.value.error_line) == (2, "z = open")


def test_ordinary_errors_in_conditions_keep_their_message():
    with pytest.raises(WorkflowTaskException) as info:
        run_diagram(script="x = 1", condition="x / 0")
    assert "ZeroDivisionError: division by zero" in str(info.value)


FORBIDDEN = [
    ("().__class__", "access to '__class__' is not allowed: names starting with '_' are private"),
    ("().__class__.__bases__[0].__subclasses__()", "access to '__subclasses__' is not allowed"),
    ("x.__dict__", "access to '__dict__' is not allowed"),
    ("f.__globals__", "access to '__globals__' is not allowed"),
    ("f'{x.__class__}'", "access to '__class__' is not allowed"),
    ("open('/etc/passwd')", "'open' is not available in diagram scripts"),
    ("eval('1')", "'eval' is not available in diagram scripts"),
    ("exec('x=1')", "'exec' is not available in diagram scripts"),
    ("__import__('os')", "the name '__import__' is not allowed"),
    ("getattr(x, '__class__')", "'getattr' is not available in diagram scripts"),
    ("'{0.__class__}'.format(1)", "str.format() is not allowed in diagram scripts"),
    ("'{a}'.format_map({'a': 1})", "str.format_map() is not allowed in diagram scripts"),
    ("str.format('{0.__class__}', 1)", "str.format() is not allowed in diagram scripts"),
    ("type(x)", "'type' is not available in diagram scripts"),
    ("globals()", "'globals' is not available in diagram scripts"),
    ("vars(x)", "'vars' is not available in diagram scripts"),
    ("compile('1', 'f', 'eval')", "'compile' is not available in diagram scripts"),
    ("print(x)", "'print' is not available in diagram scripts"),
    ("[o for o in [open]]", "'open' is not available in diagram scripts"),
]


@pytest.mark.parametrize("expression, message", FORBIDDEN)
def test_forbidden_expressions(env, expression, message):
    with pytest.raises(ScriptRestrictionError, match=None) as info:
        env.evaluate(expression, {"x": 1, "f": add_working_days})
    assert message in str(info.value)
    assert "RestrictedPython" not in str(info.value)


@pytest.mark.parametrize("expression, message", FORBIDDEN[:8])
def test_forbidden_expressions_through_engine(expression, message):
    with pytest.raises(WorkflowTaskException) as info:
        run_diagram(script="x = 1", condition=expression)
    assert message in str(info.value)


@pytest.mark.parametrize("script, message", [
    ("import os", "imports are not allowed in diagram scripts (line 1: import os)"),
    ("y = 1\nfrom os import path", "imports are not allowed in diagram scripts (line 2: from os import path)"),
    ("class A:\n    pass", "class definitions are not allowed in diagram scripts (line 1: class A:)"),
    ("g = open", "'open' is not available in diagram scripts"),
    ("raise SystemExit()", "'SystemExit' is not available in diagram scripts"),
    ("add_working_days.x = 1", "changing function objects is not allowed"),
    ("s = 'ab'\nt = s[0]\ns.x = 1", "changing str objects is not allowed"),
])
def test_forbidden_scripts(env, script, message):
    context = {}
    with pytest.raises(ScriptRestrictionError) as info:
        env.execute(script, context)
    assert message in str(info.value)
    assert "__builtins__" not in context and "add_working_days" not in context


def test_missing_attribute_raises_instead_of_returning_none(env):
    with pytest.raises(AttributeError):
        env.evaluate("plan.lowr()", {"plan": "x"})


def test_ordinary_name_error_stays_a_name_error(env):
    with pytest.raises(NameError):
        env.evaluate("undefined_thing > 1", {})


# --- static checking

def test_check_source_accepts_good_source():
    assert check_source("age >= 16 and plan in ['a', 'b']", "eval") == []
    assert check_source("total = 0\nfor s in scores:\n    total += s\n", "exec") == []


def test_check_source_reports_problems_with_lines():
    problems = check_source("a = 1\nimport os\nb = ().__class__\nc = open('x')", "exec")
    assert problems == [
        "imports are not allowed in diagram scripts (line 2: import os)",
        "access to '__class__' is not allowed: names starting with '_' are private (line 3: b = ().__class__)",
        "'open' is not available in diagram scripts (line 4: c = open('x'))",
    ]


def test_check_source_reports_syntax_errors_readably():
    [problem] = check_source("x = (1,\ny = 2", "exec")
    assert problem.startswith("syntax error:") and "(line 1" in problem
    [problem] = check_source("a = 1", "eval")
    assert problem.startswith("syntax error:")


def test_check_source_rejects_unknown_mode():
    with pytest.raises(ValueError):
        check_source("1", "single")


# --- compile cache

def test_same_source_is_compiled_once(env):
    source = f"n + {uuid.uuid4().int % 1000}"  # unique, so earlier tests cannot have cached it
    from workflows import script_policy
    real = script_policy.compile_restricted_eval
    with mock.patch.object(script_policy, "compile_restricted_eval", side_effect=real) as compiler:
        results = [env.evaluate(source, {"n": i}) for i in range(5)]
        RestrictedEnvironment().evaluate(source, {"n": 0})
    assert compiler.call_count == 1
    assert results[1] - results[0] == 1
    assert script_policy._compile.cache_info().maxsize == script_policy.CACHE_SIZE
