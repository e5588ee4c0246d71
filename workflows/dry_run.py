"""Checks that run a diagram's code on sample data before it is published.

Lint proves expressions compile; this proves they run, and give what the runtime needs,
element by element as a child would meet them: a multi-instance's collection (a missing one
is an error, as SpiffWorkflow would raise it), its cardinality and completion condition, the
pre-script, the script of a script task, `dueDate` and `metOn` (each must give a date), the
timer (it must give ISO 8601 text of its kind), the post-script, a loop's `loopCondition` and
every flow condition. The sample data is the case data merged with every form's sample
answers and what the diagram's scripts compute from them. A name no form or script sets (a
typo) is reported with its element, and so is any other failure.

Gateways are tried further: each condition with each optional answer left blank (a blank
answer is None, and `score > 3` on None raises TypeError at run time), and an exclusive
gateway without a default flow with each answer of the choices and yes/no questions its forms
ask and each blank; if some answer makes every condition false, the child would be stuck.
"""
import re
from datetime import date, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask, StandardLoopTask

from .diagrams import ParsedDiagram, Problem
from .expression_values import (collection_problem, count_problem, date_problem, timer_kind,
                                timer_problem)
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
    names = {s.bpmn_id: s.bpmn_name for p in processes for s in p.task_specs.values()
             if getattr(s, "bpmn_name", None)}  # a loop's own spec has no name: its task has
    items = _subprocess_items(processes, context)
    for process in processes:
        loops = {s.task_spec: s for s in process.task_specs.values()
                 if isinstance(s, (MultiInstanceTask, StandardLoopTask))}
        for spec in process.task_specs.values():
            if not getattr(spec, "bpmn_id", None) or (spec.name != spec.bpmn_id and spec.name not in loops):
                continue  # engine-internal specs (splits, joins)
            file, line = lines.get(spec.bpmn_id, (None, None))
            name = names.get(spec.bpmn_id)
            label = f"{name} ({spec.bpmn_id})" if name else spec.bpmn_id
            check = _Element(spec, loops.get(spec.name), {**context, **items.get(process.name, {})},
                             parsed.forms, environment)
            problems += [Problem(message, file, line, label) for message in check.problems()]
    return problems


def _subprocess_items(processes, context) -> dict[str, dict]:
    """An embedded subprocess run once per item (a multi-instance subprocess) sees the item:
    {subprocess id: {item name: a sample item}} for its elements' checks."""
    found = {}
    for process in processes:
        for spec in process.task_specs.values():
            if not isinstance(spec, MultiInstanceTask) or spec.input_item is None:
                continue
            inner = process.task_specs.get(spec.task_spec)
            called = getattr(inner, "spec", None)
            if not isinstance(called, str):
                continue
            values = context.get(spec.data_input.bpmn_id) if spec.data_input is not None else None
            first = values[0] if isinstance(values, (list, tuple)) and values else 1
            found.setdefault(called, {})[spec.input_item.bpmn_id] = first
    return found


def _scripts(spec) -> list[tuple[str, str]]:
    """(name, source) of the code that runs at `spec`, in the order it runs."""
    extensions = getattr(spec, "extensions", None) or {}
    found = []
    if extensions.get("preScript"):
        found.append(("preScript", extensions["preScript"]))
    if getattr(spec, "script", None):
        found.append(("script", spec.script))
    if extensions.get("postScript"):
        found.append(("postScript", extensions["postScript"]))
    return found


def _sample_context(forms: dict[str, FormDefinition], processes, environment) -> dict:
    context = dict(CASE)
    for form in forms.values():
        context.update(form.sample_data(SAMPLE_TODAY))
    scripts = [source for p in processes for s in p.task_specs.values() for _, source in _scripts(s)]
    for _ in range(2):  # scripts may read what other scripts set
        for script in scripts:
            trial = dict(context)
            try:
                environment.execute(script, trial)
            except Exception:
                continue  # reported with its element by the checks
            context.update(trial)
    return context


class _Element:
    """One element's checks, in the order a child meets its code."""

    def __init__(self, spec, loop, context, forms, environment):
        self.spec, self.loop, self.forms, self.environment = spec, loop, forms, environment
        self.scope = dict(context)
        self.found: list[str] = []

    def problems(self) -> list[str]:
        spec = self.spec
        if isinstance(spec, MultiInstanceTask):
            self._multi_instance(spec)
        if self.loop is not None and isinstance(self.loop, MultiInstanceTask):
            self._item_of(self.loop)
        for name, source in _scripts(spec):
            self._run(name, source)
        props = element_properties(spec)
        for name, expression in (("dueDate", props.due_date), ("metOn", props.met_on)):
            if expression:
                self._value(name, expression, date_problem)
        for definition in _timers(spec):
            self._value(f"timer expression ({timer_kind(definition)})", definition.expression,
                        lambda value, d=definition: timer_problem(d, value))
        if isinstance(spec, StandardLoopTask) and spec.condition:
            self._value("loopCondition", spec.condition)
        self._conditions()
        return self.found

    def _multi_instance(self, spec) -> None:
        if spec.data_input is not None:
            name = spec.data_input.bpmn_id
            if name not in self.scope:
                self.found.append(f"multi-instance collection '{name}' is not set by any form or "
                                  "script of the diagram: a child reaching it would stop with an error")
            else:
                problem = collection_problem(name, self.scope[name])
                if problem:
                    self.found.append(f"multi-instance: {problem}")
        if spec.cardinality:
            self._value("multi-instance cardinality", spec.cardinality, count_problem)
        self._item_of(spec)
        if spec.condition:
            self._value("multi-instance completion condition", spec.condition)

    def _item_of(self, spec) -> None:
        """The item variable an instance sees, sampled from the collection's first item."""
        if spec.input_item is None:
            return
        values = self.scope.get(spec.data_input.bpmn_id) if spec.data_input is not None else None
        if isinstance(values, dict):
            values = list(values.values())
        first = values[0] if isinstance(values, (list, tuple)) and values else 1
        self.scope.setdefault(spec.input_item.bpmn_id, first)

    def _run(self, name: str, source: str) -> None:
        trial = dict(self.scope)
        try:
            self.environment.execute(source, trial)
        except Exception as exc:
            self.found.append(_failure(name, exc, source))
            return
        self.scope = trial

    def _value(self, name, expression, wanted=None):
        try:
            value = self.environment.evaluate(expression, dict(self.scope))
        except Exception as exc:
            self.found.append(_failure(name, exc, expression))
            return None
        problem = wanted(value) if wanted else None
        if problem:
            self.found.append(f"{name} {problem} ({expression})")
        return value

    def _conditions(self) -> None:
        spec = self.spec
        conditions = [(c.args[0], target) for c, target in getattr(spec, "cond_task_specs", []) or []
                      if c is not None]
        for expression, target in conditions:
            name = f"condition of the flow to {target}"
            before = len(self.found)
            self._value(name, expression)
            if len(self.found) == before:
                self._blank_answers(name, expression)
        if conditions and type(spec).__name__ == "ExclusiveGateway" and not getattr(spec, "default_task_spec", None):
            stuck = _all_false(self.environment, [e for e, _ in conditions], self.scope, self.forms)
            if stuck is not None:
                self.found.append(f"no default flow, and every condition is false when {stuck}: "
                                  "add a default flow or a condition for that answer")

    def _blank_answers(self, name: str, expression: str) -> None:
        """A condition must not fail on an optional answer left blank (None, or an empty list):
        at a gateway the child would stop with a TypeError."""
        for field, blank in _blanks(self.forms):
            if not re.search(rf"\b{re.escape(field)}\b", expression):
                continue
            try:
                self.environment.evaluate(expression, {**self.scope, field: blank})
            except Exception as exc:
                self.found.append(f"{name} fails when the optional answer '{field}' is left blank "
                                  f"({type(exc).__name__}: {exc}): test it first, for example "
                                  f"'{field} is not None and ...' ({expression})")
                return


def _timers(spec) -> list[TimerEventDefinition]:
    definition = getattr(spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        return [definition]
    if isinstance(definition, MultipleEventDefinition):
        return [d for d in definition.event_definitions if isinstance(d, TimerEventDefinition)]
    return []


def _failure(name: str, exc: Exception, source: str) -> str:
    if isinstance(exc, NameError) and len(str(exc).split("'")) >= 3:
        missing = str(exc).split("'")[1]
        return f"{name} uses '{missing}', which no form or script of the diagram sets ({source})"
    return f"{name} fails on sample data: {type(exc).__name__}: {exc} ({source})"


def _blanks(forms):
    """(field name, its value when left blank) for every optional answer of every form."""
    seen = set()
    for form in forms.values():
        for field in form.fields:
            if not field.required and field.name not in seen:
                seen.add(field.name)
                yield field.name, [] if field.kind in ("list", "multichoice") else None


def _all_false(environment, expressions, context, forms) -> str | None:
    """A described answer that makes every condition false, or None."""
    for description, variant in _variants(context, forms):
        try:
            if not any(environment.evaluate(e, dict(variant)) for e in expressions):
                return description
        except Exception:
            continue  # a failing condition is reported on its own
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
                options = []
            if not field.required:
                options.append(([] if field.kind in ("list", "multichoice") else None, "left blank"))
            for value, shown in options:
                yield f"{field.name} is {shown}", {**context, field.name: value}
