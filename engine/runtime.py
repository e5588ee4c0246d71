"""Loading, advancing and storing one child's workflow: the only place SpiffWorkflow's
runtime objects are made, moved on and saved."""
from sqlalchemy.orm.attributes import flag_modified
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from models import PathwayInstance, User
from workflows.expression_values import timer_problem
from workflows.pathway_values import uses_pathway_value

from . import audit, clock, outbox, projections
from . import figures  # noqa: F401  (its session events keep the dashboards' running figures)
from .errors import InstanceInError
from .environment import SCRIPT_ENGINE
from .specs import LoadedVersion
from .state import dump_state, load_state, prune_history

clock.install()  # timers read the application clock in every workflow made here


def new_workflow(loaded: LoadedVersion, initial_data: dict) -> BpmnWorkflow:
    """A fresh workflow with the case data on its start task (workflow-level data is not
    visible to tasks)."""
    workflow = BpmnWorkflow(loaded.spec, loaded.subprocess_specs, script_engine=SCRIPT_ENGINE)
    workflow.get_next_task(state=TaskState.READY).data.update(initial_data)
    return workflow


def open_workflow(instance: PathwayInstance, loaded: LoadedVersion) -> BpmnWorkflow:
    return load_state(instance.state, loaded.spec, loaded.subprocess_specs, SCRIPT_ENGINE)


class ElementFailed(Exception):
    """A failure SpiffWorkflow raised without saying where (a timer's value it cannot read
    raises a bare ValueError or AttributeError): `task` is the element it happened at."""

    def __init__(self, exc: Exception, task):
        super().__init__(_timer_explained(task) or f"{type(exc).__name__}: {exc}")
        self.task = task


def _timer_explained(task) -> str | None:
    """What a timer at `task` gave and what it should give, as validation would say it."""
    definition = getattr(task.task_spec, "event_definition", None)
    timers = definition.event_definitions if isinstance(definition, MultipleEventDefinition) else [definition]
    for timer in timers:
        if not isinstance(timer, TimerEventDefinition):
            continue
        try:
            value = task.workflow.script_engine.evaluate(task, timer.expression)
        except Exception:
            continue
        problem = timer_problem(timer, value)
        if problem:
            return f"the timer expression {problem} ({timer.expression})"
    return None


def advance(workflow: BpmnWorkflow) -> None:
    """Fire what is due and run everything automatic; SpiffWorkflow's do_engine_steps alone
    does not notice timers that came due. A failure always says which element it was at.
    A step just done can move a clock that reads it (`pathway_value`): the clocks are then
    reset and the steps run again, so a clock moved into the past fires now."""
    for _ in range(2):
        _follow_pathway_values(workflow)
        for task in list(workflow.event_manager.tasks.values()):  # refresh_timers, one by one
            if isinstance(task.task_spec.event_definition, (TimerEventDefinition, MultipleEventDefinition)):
                try:
                    task.task_spec._update(task)
                except Exception as exc:
                    raise _located(exc, task) from exc
        running = []
        try:
            workflow.do_engine_steps(will_complete_task=running.append)
        except Exception as exc:
            raise _located(exc, running[-1] if running else None) from exc
        if not _follow_pathway_values(workflow, dry=True):
            return


def _follow_pathway_values(workflow: BpmnWorkflow, dry: bool = False) -> bool:
    """Timers whose date reads a value recorded elsewhere in the pathway (R4 and R9 from the
    CLA review actually held) take its new value; SpiffWorkflow works a timer's date out
    once, when it starts waiting. True when one moved (or, `dry`, would move)."""
    moved = False
    for task in list(workflow.event_manager.tasks.values()):
        definition = task.task_spec.event_definition
        if not isinstance(definition, TimerEventDefinition) or not uses_pathway_value(definition.expression):
            continue
        before = task._get_internal_data("event_value")
        if before is None:
            continue  # not started waiting yet: it will read the value when it does
        try:
            now = workflow.script_engine.evaluate(task, definition.expression)
        except Exception as exc:
            raise _located(exc, task) from exc
        if now != before:
            moved = True
            if not dry:
                task._set_internal_data(event_value=now)
    return moved


def _located(exc: Exception, task) -> Exception:
    """`exc` if it names its task; else the element that failed: a timer waiting after
    `task` (its value is worked out as it is reached), or `task` itself."""
    if getattr(exc, "task", None) is not None or task is None:
        return exc
    after = [c for c in task.children if isinstance(getattr(c.task_spec, "event_definition", None),
                                                    (TimerEventDefinition, MultipleEventDefinition))]
    return ElementFailed(exc, after[0] if after else task)


def save(session, instance: PathwayInstance, workflow: BpmnWorkflow, now,
         completed_task_id: str | None = None, actor: User | None = None, *,
         checked: bool = False, known: projections.Known | None = None,
         flushed_after: bool = False) -> projections.Changes:
    """After any change: rewrite the projections, store the pruned state, and audit the
    tasks it opened and any problem it met, all in the caller's transaction. `checked`: the
    caller writes the instance's version-checked UPDATE itself before any projection row
    (the sweep, for its whole batch in one statement); `known`: see `projections.read_known`.
    `flushed_after`: the caller flushes as soon as this returns, before anything reads or
    writes past the session; that one flush writes the instance's version-checked UPDATE
    before its task and clock rows (their `instance` relationships order it), so no flush of
    the instance alone comes first."""
    # The instance's version-checked UPDATE goes first, alone, so a concurrent change fails
    # here (StaleDataError: retried, then "already completed by ...") before any projection
    # row is written; both writers would otherwise insert the same predicted next task or
    # deadline and the second would fail on the unique key instead.
    instance.updated_at = now
    if not checked:
        # Written even when the clock has not moved since the last save (a frozen clock, two
        # saves in one instant): an unchanged value would otherwise leave the UPDATE, and so
        # the version check, to the final flush, after the projection rows.
        flag_modified(instance, "updated_at")
        if not flushed_after:
            session.flush()
    changes = projections.rewrite(session, instance, workflow, now,
                                  completed_task_id=completed_task_id, actor=actor, known=known)
    prune_history(workflow)
    try:
        instance.state = dump_state(workflow)
    except (TypeError, ValueError) as exc:  # a script left data that cannot be stored
        raise InstanceInError(f"{instance.child.name}'s pathway could not be saved, so nothing "
                              f"was: the diagram left data that cannot be stored ({exc})") from exc
    ids = dict(child_id=instance.child_id, instance_id=instance.id)
    for row in changes.opened:
        audit.record(session, audit.TASK_OPENED, now, **ids, task=row.name, lane=row.lane,
                     due_on=row.due_on, rule=row.rule)
    for row in changes.deadlines_missed:
        audit.record(session, audit.DEADLINE_MISSED, now, **ids, deadline=row.label,
                     rule=row.rule, due_on=row.due_on)
    for problem in changes.problems:
        audit.record(session, audit.ERROR, now, **ids, message=problem)
    outbox.record_changes(session, instance, changes, now)
    return changes


def waiting_timers(workflow: BpmnWorkflow) -> list:
    """Waiting timer events, to tell afterwards which ones fired. Behind an event-based
    gateway the gateway waits, and the timer event that wins is completed after it."""
    timers = []
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition):
            timers.append(task)
        elif isinstance(definition, MultipleEventDefinition):
            # The gateway holds its events' definitions; its nth child is the nth event.
            timers += [child for child, event in zip(task.children, definition.event_definitions)
                       if isinstance(event, TimerEventDefinition)]
    return timers
