"""Statutory clocks: the timer events with a `rule` property, as a workflow holds them.

A clock runs while its timer waits, is missed when the timer fires, and is met when the
work it guards (a boundary timer's activity, or another event after an event-based gateway)
is done first. SpiffWorkflow keeps the timers of an event-based gateway on the gateway
itself (its events' definitions move onto a `MultipleEventDefinition`, and the event tasks
after it wait as predictions, removed when another event wins), so those clocks are read
from the gateway: keyed by the gateway's task and the timer event's id, stable from the
moment the gateway starts waiting to long after it has fired.
"""
from dataclasses import dataclass
from datetime import date
from uuid import uuid5

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from workflows.calendar import LONDON, as_date
from workflows.properties import ElementProperties, element_properties

from . import clock

_SEEN = TaskState.WAITING | TaskState.COMPLETED | TaskState.CANCELLED


@dataclass
class Clock:
    key: str                  # what the deadline row is keyed on (36 characters)
    spec: object              # the timer event's spec: its label, rule, dueDate and metOn
    props: ElementProperties
    task: object              # the task its expressions run on and its fire date is read from
    status: str               # "waiting", "fired" or "ended"
    winner: object = None     # what completed first and so ended it


def statutory_clocks(tasks) -> list[Clock]:
    """The clocks among `tasks` (a workflow's tasks, walked once by the caller)."""
    clocks = []
    for task in tasks:
        if not task.has_state(_SEEN):
            continue
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition):
            props = element_properties(task.task_spec)
            if props.rule:
                clocks.append(Clock(str(task.id), task.task_spec, props, task, _status(task),
                                    _completed_sibling(task)))
        elif isinstance(definition, MultipleEventDefinition):
            clocks += _gateway_clocks(task, definition)
    return clocks


def _status(task) -> str:
    if task.has_state(TaskState.WAITING):
        return "waiting"
    return "fired" if task.has_state(TaskState.COMPLETED) else "ended"


def _completed_sibling(task):
    return next((s for s in (task.parent.children if task.parent else [])
                 if s is not task and s.has_state(TaskState.COMPLETED) and s.task_spec.bpmn_id), None)


def _gateway_clocks(gateway, definition) -> list[Clock]:
    clocks = []
    # The gateway's nth output is the event of its nth definition.
    for event_spec, event in zip(gateway.task_spec.outputs, definition.event_definitions):
        props = element_properties(event_spec)
        if not isinstance(event, TimerEventDefinition) or not props.rule:
            continue
        key = str(uuid5(gateway.id, event_spec.bpmn_id))
        went = [c for c in gateway.children if not c.has_state(TaskState.PREDICTED_MASK)]
        if gateway.has_state(TaskState.WAITING):
            status, winner = "waiting", None
        elif any(c.task_spec is event_spec for c in went):
            status, winner = "fired", None
        else:
            status = "ended"
            winner = next((c for c in went if c.has_state(TaskState.COMPLETED)), None)
        clocks.append(Clock(key, event_spec, props, gateway, status, winner))
    return clocks


def fire_date(task) -> date:
    value = task._get_internal_data("event_value")
    if isinstance(value, dict):
        value = value.get("next")
    instant = TimerEventDefinition.get_datetime(value) if value else clock.now()
    return instant.astimezone(LONDON).date()


def how_met(found: Clock) -> tuple[str, date | None]:
    """Ended because what it guards completed first: met, on the date its data says ("late"
    when that is after the due date, as when the sweep was not running); otherwise the
    clock simply no longer applies."""
    if found.winner is None:
        return "cancelled", None
    met_on = clock.today()
    if found.props.met_on:
        try:
            met_on = as_date(found.winner.workflow.script_engine.evaluate(found.winner, found.props.met_on))
        except Exception:
            pass
    return "met", met_on
