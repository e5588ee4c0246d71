"""This project's own rules for a diagram, checked before it can be published.

The XSD and the parser say a diagram is valid BPMN; these say it can run here: every user
task sits in a lane that is a known role and names a form that exists, every deadline
carries a known rule id, and every expression compiles in the restricted script engine.
Each problem names its file, line and element so a process owner can find it.
"""
from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from .diagrams import DiagramBundle, ParsedDiagram, Problem
from .properties import element_properties
from .roles import LANE_ROLES, is_lane_role
from .rules import is_known_rule
from .scripting import check_source
from .templates import check_template
from .xml import parse_xml


def lint(bundle: DiagramBundle, parsed: ParsedDiagram) -> list[Problem]:
    lines = element_lines(bundle)
    event_subprocesses = _event_subprocesses(bundle)
    problems: list[Problem] = []
    for process in [parsed.spec, *parsed.subprocess_specs.values()]:
        for spec in process.task_specs.values():
            bpmn_id = getattr(spec, "bpmn_id", None)
            if not bpmn_id:
                continue  # engine-internal task specs (start/end joins)
            file, line = lines.get(bpmn_id, (None, None))

            def problem(message, _id=bpmn_id, _file=file, _line=line, _name=spec.bpmn_name):
                label = f"{_name} ({_id})" if _name else _id
                problems.append(Problem(message, _file, _line, label))

            _check_element(spec, parsed, problem, bpmn_id in event_subprocesses)
    return problems


def _event_subprocesses(bundle: DiagramBundle) -> set[str]:
    """Ids of event subprocesses: started by their event, they have no flows in or out."""
    found = set()
    for xml in bundle.bpmn_files.values():
        try:
            root = parse_xml(xml)
        except (etree.XMLSyntaxError, ValueError):
            continue
        found |= {e.get("id") for e in root.iter("{*}subProcess") if e.get("triggeredByEvent") == "true"}
    return found


#: What the process owner calls each kind of task a person completes.
_HUMAN_TASKS = {"UserTask": "user task", "ManualTask": "manual task", "NoneTask": "task"}


def _check_element(spec, parsed: ParsedDiagram, problem, event_subprocess: bool = False) -> None:
    props = element_properties(spec)
    if (not spec.outputs and spec.name == spec.bpmn_id and type(spec).__name__ != "EndEvent"
            and not event_subprocess):
        problem("has no outgoing flow: the path stops here without an end event "
                "(connect it, or end the path with an end event)")
    if spec in spec.outputs:
        problem("flows straight back to itself, which SpiffWorkflow cannot run (it predicts the "
                "loop forever): loop back through a gateway instead")
    if getattr(spec, "manual", False):
        # A manual task or a plain task is done outside the system and marked done: it needs
        # a lane (who marks it done) but no form; a user task's answers need a form.
        kind = _HUMAN_TASKS.get(type(spec).__name__, "user task")
        if not spec.lane:
            problem(f"{kind} is not in a lane: put it in the lane of the role that does it")
        elif not is_lane_role(spec.lane):
            problem(f"lane '{spec.lane}' is not a known role (known: {', '.join(LANE_ROLES)})")
        if not props.form and kind == "user task":
            problem("user task has no form (property formJsonSchemaFilename)")
        elif props.form and props.form not in parsed.forms:
            problem(f"form '{props.form}' does not exist")
    if props.rule and not is_known_rule(props.rule):
        problem(f"rule '{props.rule}' is not a rule id of RULES.md (R1 to R25)")
    if props.due_date and not props.rule:
        problem("dueDate without a rule: every deadline shown must carry its rule id")
    for name, source, mode in _expressions(spec, props):
        for message in check_source(source, mode):
            problem(f"{name}: {message}")
    for name, source in (("instructions", props.instructions), ("dueReason", props.due_reason)):
        for message in check_template(source) if source and "{" in source else ():
            problem(f"{name}: {message}")


def _expressions(spec, props):
    if props.due_date:
        yield "dueDate", props.due_date, "eval"
    if props.met_on:
        yield "metOn", props.met_on, "eval"
    definition = getattr(spec, "event_definition", None)
    timers = definition.event_definitions if isinstance(definition, MultipleEventDefinition) else [definition]
    for timer in timers:  # an event-based gateway holds the timers of the events after it
        if isinstance(timer, TimerEventDefinition):
            yield "timer expression", timer.expression, "eval"
    for condition, target in getattr(spec, "cond_task_specs", []) or []:
        if condition is not None:
            yield f"condition of the flow to {target}", condition.args[0], "eval"
    script = getattr(spec, "script", None)
    if script:
        yield "script", script, "exec"
    extensions = getattr(spec, "extensions", None) or {}
    for key in ("preScript", "postScript"):
        if extensions.get(key):
            yield key, extensions[key], "exec"


def element_lines(bundle: DiagramBundle) -> dict[str, tuple[str, int]]:
    """Where each element id is written, for messages a process owner can follow."""
    lines = {}
    for name, xml in bundle.bpmn_files.items():
        try:
            root = parse_xml(xml)
        except (etree.XMLSyntaxError, ValueError):
            continue
        for element in root.iter():
            element_id = element.get("id") if isinstance(element.tag, str) else None
            if element_id:
                lines.setdefault(element_id, (name, element.sourceline))
    return lines
