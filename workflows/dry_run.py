"""Checks that run a diagram's expressions on sample data before it is published.

Lint proves expressions compile; this proves they evaluate: every `dueDate`, `metOn`, timer
expression and condition runs against sample case data merged with every form's sample
answers and what the diagram's scripts compute from them. A name no form or script sets
(a typo) is reported with its element. An exclusive gateway without a default flow is tried
with each answer of the choices and yes/no questions its forms ask; if some answer makes
every condition false, the child would be stuck there, so it is reported too.
"""
from datetime import date, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from .diagrams import ParsedDiagram, Problem
from .forms import FormDefinition
from .functions import diagram_functions
from .properties import element_properties
from .scripting import RestrictedEnvironment

SAMPLE_TODAY = date(2026, 3, 2)
CASE = {"child_reference": "SAMPLE-1", "child_name": "Sample Child", "date_of_birth": date(2018, 5, 4),
        "legal_status": "ico", "looked_after_on": SAMPLE_TODAY - timedelta(days=14), "team": "Sample team"}


def dry_run(parsed: ParsedDiagram, lines: dict) -> list[Problem]:
    environment = RestrictedEnvironment(diagram_functions(lambda: SAMPLE_TODAY))
    processes = [parsed.spec, *parsed.subprocess_specs.values()]
    context = _sample_context(parsed.forms, processes, environment)
    problems: list[Problem] = []
    for process in processes:
        for spec in process.task_specs.values():
            if getattr(spec, "bpmn_id", None) and spec.name == spec.bpmn_id:
                file, line = lines.get(spec.bpmn_id, (None, None))
                label = f"{spec.bpmn_name} ({spec.bpmn_id})" if spec.bpmn_name else spec.bpmn_id
                for message in _check(spec, context, parsed.forms, environment):
                    problems.append(Problem(message, file, line, label))
    return problems


def _sample_context(forms: dict[str, FormDefinition], processes, environment) -> dict:
    context = dict(CASE)
    for form in forms.values():
        context.update(form.sample_data(SAMPLE_TODAY))
    scripts = [s.script for p in processes for s in p.task_specs.values() if getattr(s, "script", None)]
    for _ in range(2):  # scripts may read what other scripts set
        for script in scripts:
            trial = dict(context)
            try:
                environment.execute(script, trial)
            except Exception:
                continue
            context.update(trial)
    return context


def _check(spec, context, forms, environment) -> list[str]:
    props = element_properties(spec)
    problems = []
    expressions = [("dueDate", props.due_date), ("metOn", props.met_on)]
    definition = getattr(spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        expressions.append(("timer expression", definition.expression))
    item = _multi_instance_item(spec, context)
    for name, expression in expressions:
        if expression:
            problems += _evaluate(environment, name, expression, {**context, **item})
    conditions = [(c.args[0], target) for c, target in getattr(spec, "cond_task_specs", []) or [] if c is not None]
    for expression, target in conditions:
        problems += _evaluate(environment, f"condition of the flow to {target}", expression, context)
    if conditions and type(spec).__name__ == "ExclusiveGateway" and not getattr(spec, "default_task_spec", None):
        stuck = _all_false(environment, [e for e, _ in conditions], context, forms)
        if stuck is not None:
            problems.append(f"no default flow, and every condition is false when {stuck}: "
                            "add a default flow or a condition for that answer")
    return problems


def _multi_instance_item(spec, context) -> dict:
    """A multi-instance task's item variable, sampled from its collection's first item."""
    item = getattr(spec, "input_item", None)
    collection = getattr(spec, "data_input", None)
    if item is None or collection is None:
        return {}
    values = context.get(collection.bpmn_id) or [{}]
    return {item.bpmn_id: values[0]}


def _evaluate(environment, name, expression, context) -> list[str]:
    try:
        environment.evaluate(expression, dict(context))
    except NameError as exc:
        return [f"{name} uses {str(exc).split(' ')[1]}, which no form or script of the diagram sets "
                f"({expression})"]
    except Exception as exc:
        return [f"{name} fails on sample data: {type(exc).__name__}: {exc} ({expression})"]
    return []


def _all_false(environment, expressions, context, forms) -> str | None:
    """A described answer that makes every condition false, or None."""
    for description, variant in _variants(context, forms):
        try:
            if not any(environment.evaluate(e, dict(variant)) for e in expressions):
                return description
        except Exception:
            continue
    return None


def _variants(context, forms):
    yield "the forms' sample answers are given", context
    for form in forms.values():
        for field in form.fields:
            if field.kind == "boolean":
                options = [(True, "yes"), (False, "no")]
            elif field.kind == "choice":
                options = [(value, repr(value)) for value, _ in field.options]
            else:
                continue
            for value, shown in options:
                yield f"{field.name} is {shown}", {**context, field.name: value}
