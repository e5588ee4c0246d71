"""Rewriting what inboxes and dashboards read after every change to a workflow: the open
human tasks (with due date and rule), the statutory-clock deadlines, the child's stage and
route, and `next_due_at`, the one indexed time the timer sweep looks at.

Called inside the transaction that changed the workflow, so the rows always match it.
"""
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, object_session
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from models import Deadline, HumanTask, PathwayInstance, User, UserRole
from workflows.calendar import as_date, in_words
from workflows.pathway_values import uses_pathway_value
from workflows.properties import element_properties
from workflows.roles import PRACTICE_LEAD, SOCIAL_WORKER, TEAM_MANAGER
from workflows.stages import FACT_KEYS, furthest_stage
from workflows.templates import render

from .actions import action_owner_id
from .audit import jsonable
from .statutory_clocks import fire_date, how_met, statutory_clocks


@dataclass
class Changes:
    """What one save changed, for the audit trail and the outbox (engine/outbox.py)."""
    opened: list[HumanTask] = field(default_factory=list)
    deadlines_missed: list[Deadline] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    completed: list[HumanTask] = field(default_factory=list)
    cancelled: list[HumanTask] = field(default_factory=list)
    deadlines_met: list[Deadline] = field(default_factory=list)   # met or late
    escalations: list[HumanTask] = field(default_factory=list)    # opened by a missed clock
    route_before: str | None = None                               # set when the route changed


@dataclass
class Known:
    """The rows and task walks of several pathways, read at once (the timer sweep's batch):
    each pathway's rewrite then asks nothing of the database."""
    tasks: dict[int, list] = field(default_factory=dict)           # instance id: its tasks
    open_tasks: dict[int, list] = field(default_factory=dict)      # its open human_task rows
    clocks: dict[int, list] = field(default_factory=dict)          # its statutory clocks
    deadlines: dict[int, dict] = field(default_factory=dict)       # its clocks' rows, by key


def read_known(session: Session, workflows: list[tuple[PathwayInstance, BpmnWorkflow]]) -> Known:
    """One walk of each workflow and two queries for all: the open tasks and the deadline
    rows of every clock the workflows hold."""
    known = Known()
    ids = [instance.id for instance, _ in workflows]
    for instance, workflow in workflows:
        known.tasks[instance.id] = tasks = workflow.get_tasks()
        known.clocks[instance.id] = statutory_clocks(tasks)
        known.open_tasks[instance.id], known.deadlines[instance.id] = [], {}
    with session.no_autoflush:
        for row in session.scalars(select(HumanTask).where(
                HumanTask.instance_id.in_(ids), HumanTask.status == "open").order_by(HumanTask.id)):
            known.open_tasks[row.instance_id].append(row)
        keys = [c.key for clocks in known.clocks.values() for c in clocks]
        if keys:
            for row in session.scalars(select(Deadline).where(Deadline.instance_id.in_(ids),
                                                              Deadline.key.in_(keys))):
                known.deadlines[row.instance_id][row.key] = row
    return known


def rewrite(session: Session, instance: PathwayInstance, workflow: BpmnWorkflow, now: datetime,
            *, completed_task_id: str | None = None, actor: User | None = None,
            known: Known | None = None) -> Changes:
    """`known`: the pathway's rows and tasks, read with others' (else read here)."""
    changes = Changes()
    # One walk of the task tree for every projection (it is the costly part of reading a
    # workflow), and one flush at the end, not one per query: the caller has already
    # checked the version.
    tasks = known.tasks[instance.id] if known else workflow.get_tasks()
    with session.no_autoflush:
        still_open = _rewrite_human_tasks(
            session, instance, tasks, now, completed_task_id, actor, changes,
            known.open_tasks[instance.id] if known else None)
        if known:
            _settle_deadlines(session, instance, known.clocks[instance.id],
                              known.deadlines[instance.id], changes)
        else:
            _rewrite_deadlines(session, instance, tasks, changes)
        changes.escalations = _escalations(workflow, changes)
        route_before = instance.route
        _rewrite_summary(instance, workflow, tasks, now, still_open, completed_task_id)
        if instance.route != route_before:
            changes.route_before = route_before
    return changes


#: A pathway's open task rows, and its clocks' rows: built once (every save reads them, and
#: building and keying a statement cost more than running it).
_OPEN_ROWS = (select(HumanTask).where(HumanTask.instance_id == bindparam("instance_id"),
                                      HumanTask.status == "open").order_by(HumanTask.id))
_CLOCK_ROWS = select(Deadline).where(Deadline.instance_id == bindparam("instance_id"),
                                     Deadline.key.in_(bindparam("keys", expanding=True)))


def _ready_user_tasks(tasks) -> dict:
    return {str(t.id): t for t in tasks if t.state == TaskState.READY and t.task_spec.manual}


def _live(tasks) -> list:
    return [t for t in tasks if t.has_state(TaskState.READY | TaskState.WAITING)]


def _escalations(workflow, changes: Changes) -> list[HumanTask]:
    """Tasks opened downstream of a clock that was just missed (a boundary timer's chase)."""
    missed = {row.key for row in changes.deadlines_missed}
    if not missed or not changes.opened:
        return []
    found = []
    for row in changes.opened:
        task = workflow.get_task_from_id(UUID(row.task_id))
        while task is not None and str(task.id) not in missed:
            task = task.parent
        if task is not None:
            found.append(row)
    return found


def _rewrite_human_tasks(session, instance, tasks, now, completed_task_id, actor,
                         changes, open_rows=None) -> list[HumanTask]:
    """Close the rows of tasks no longer READY, open rows for new READY ones; return the
    open rows, oldest first."""
    if open_rows is None:
        open_rows = session.scalars(_OPEN_ROWS, {"instance_id": instance.id})
    open_rows = {row.task_id: row for row in open_rows}
    ready = _ready_user_tasks(tasks)
    still_open = []
    for task_id, row in open_rows.items():
        if task_id in ready:
            _follow_due_date(row, ready[task_id])
            still_open.append(row)
            continue
        row.completed_at = now
        if task_id == completed_task_id:
            row.status, row.completed_by_id = "completed", actor.id if actor else None
            changes.completed.append(row)
        else:
            row.status = "cancelled"   # interrupted, or its branch was closed
            changes.cancelled.append(row)
    for task_id, task in ready.items():
        if task_id not in open_rows:
            row = _new_human_task(instance, task, now, changes)
            session.add(row)
            changes.opened.append(row)
            still_open.append(row)
    return still_open


def _new_human_task(instance, task, now, changes) -> HumanTask:
    spec = task.task_spec
    props = element_properties(spec)
    due_on, due_error = None, None
    if props.due_date:
        try:
            due_on = as_date(_evaluate(task, props.due_date))
        except Exception as exc:  # a broken expression must not lose the task: show why
            due_error = f"The due date could not be worked out ({props.due_date}): {exc}"
            changes.problems.append(f"{element_place(task)}: {due_error}")
    return HumanTask(
        task_id=str(task.id), instance_id=instance.id, child_id=instance.child_id,
        team_id=instance.child.team_id, bpmn_id=spec.bpmn_id, name=spec.bpmn_name or spec.bpmn_id, lane=lane_for(spec.lane, instance.child),
        form=props.form, instructions=render_instructions(props.instructions, task.data),
        stage=props.stage or "", due_on=due_on, rule=props.rule, due_error=due_error,
        due_reason=due_reason(spec, task.data) if due_on else None,
        assignee_id=action_owner_id(task.data, spec.bpmn_id) or (
            instance.child.social_worker_id if spec.lane == SOCIAL_WORKER else None),
        status="open", created_at=now)


def _follow_due_date(row, task) -> None:
    """An open task whose due date reads a value recorded elsewhere in the pathway (the CLA
    review actually held, R9) shows the date that value gives now."""
    props = element_properties(task.task_spec)
    if not uses_pathway_value(props.due_date):
        return
    try:
        due_on = as_date(_evaluate(task, props.due_date))
    except Exception:
        return  # keep the date it showed; the timer's own failure names the element
    if due_on != row.due_on:
        row.due_on = due_on


def refresh_open_tasks(session, instance, workflow) -> None:
    """After a move onto another version: the open tasks' rows take the new version's name,
    lane, form, instructions and stage (their due dates stay: deadlines keep running). A task
    whose lane changed is no longer the child's social worker's unless it moved to that lane."""
    ready = _ready_user_tasks(workflow.get_tasks())
    for row in session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                       HumanTask.status == "open")):
        task = ready.get(row.task_id)
        if task is None:
            continue
        spec, props = task.task_spec, element_properties(task.task_spec)
        lane = lane_for(spec.lane, instance.child)
        if lane != row.lane:
            row.assignee_id = instance.child.social_worker_id if spec.lane == SOCIAL_WORKER else None
        row.name, row.lane, row.form = spec.bpmn_name or spec.bpmn_id, lane, props.form
        row.instructions, row.stage = render_instructions(props.instructions, task.data), props.stage or ""


def lane_for(lane: str | None, child) -> str:
    """The lane a task opens in: a Practice Lead's task falls to the Team Manager where the
    child's team has no active Practice Lead (C8, HAL ToR Timing)."""
    if lane != PRACTICE_LEAD:
        return lane or ""
    session = object_session(child)
    found = session.scalar(select(User.id).join(UserRole, UserRole.user_id == User.id).where(
        UserRole.role == PRACTICE_LEAD, User.team_id == child.team_id, User.active.is_(True)).limit(1))
    return PRACTICE_LEAD if found is not None else TEAM_MANAGER


def element_place(task, spec=None) -> str:
    """"Name (id) in file.bpmn": where a problem happened, as messages name it."""
    spec = spec or task.task_spec
    file = getattr(getattr(task.workflow, "spec", None), "file", None)
    return f"{spec.bpmn_name or spec.bpmn_id} ({spec.bpmn_id})" + (f" in {file}" if file else "")


def due_reason(spec, data: dict) -> str | None:
    """The task's `dueReason` property (`10 working days after becoming looked after on
    {{ looked_after_on }}`) rendered over its data, dates written as "2 March 2026". None when
    there is none or it cannot be rendered: pages then show the rule's own statement."""
    template = ((getattr(spec, "extensions", None) or {}).get("properties") or {}).get("dueReason")
    if not template:
        return None
    values = {k: in_words(v) for k, v in data.items()}
    try:
        return render(template, values, strict=True).strip() or None
    except Exception:  # a name the data lacks, or a refused template: fall back, do not fail
        return None


def _evaluate(task, expression):
    return task.workflow.script_engine.evaluate(task, expression)


def render_instructions(template: str, data: dict) -> str:
    """A task's instructions over its data; as written when they cannot be rendered (the
    validation page says why), so the practitioner still reads them. Dates are written as
    "14 October 2026", as in due reasons: people read them."""
    if "{" not in template:
        return template
    try:
        return render(template, {k: in_words(v) for k, v in data.items()})
    except Exception:
        return template


def _rewrite_deadlines(session, instance, tasks, changes):
    """A timer event with a `rule` property is a statutory clock: running while it waits,
    missed when it fires, met when the work it guards was done first."""
    clocks = statutory_clocks(tasks)
    if not clocks:
        return
    rows = {row.key: row for row in session.scalars(
        _CLOCK_ROWS, {"instance_id": instance.id, "keys": [c.key for c in clocks]})}
    _settle_deadlines(session, instance, clocks, rows, changes)


def _settle_deadlines(session, instance, clocks, rows: dict, changes) -> None:
    """The deadline rows (`rows`, by key) follow their clocks; new clocks get a row."""
    for found in clocks:
        row = rows.get(found.key)
        if row is None:
            if found.status == "ended":
                continue  # ended before it was ever seen running
            row = _new_deadline(instance, found, changes)
            session.add(row)
        elif row.status != "running":
            continue  # settled earlier
        if found.status == "waiting":
            _follow_deadline(row, found)
            continue
        if found.status == "fired":
            _follow_deadline(row, found)   # it may have fired because it moved
            row.status = "missed"
            changes.deadlines_missed.append(row)
        else:
            row.status, row.met_on = how_met(found)
            if row.status == "met" and row.met_on and row.met_on > row.due_on:
                row.status = "late"
            if row.status in ("met", "late"):
                changes.deadlines_met.append(row)


def _follow_deadline(row, found) -> None:
    """A running clock that reads a value recorded elsewhere (R4 from the second CLA review
    actually held) moves with its timer (`engine.runtime`)."""
    if uses_pathway_value(found.props.due_date):
        try:
            row.due_on = as_date(_evaluate(found.task, found.props.due_date))
        except Exception:
            pass  # keep the date it showed; the timer's own failure names the element


def _new_deadline(instance, found, changes) -> Deadline:
    spec, props = found.spec, found.props
    due_on = None
    if props.due_date:
        try:
            due_on = as_date(_evaluate(found.task, props.due_date))
        except Exception as exc:
            changes.problems.append(f"{element_place(found.task, spec)}: due date: {exc}")
    if due_on is None:
        due_on = fire_date(found.task)
    return Deadline(instance_id=instance.id, child_id=instance.child_id, key=found.key,
                    bpmn_id=spec.bpmn_id, rule=props.rule, label=spec.bpmn_name or spec.bpmn_id,
                    due_on=due_on, status="running")


def _rewrite_summary(instance, workflow, tasks, now, still_open: list[HumanTask],
                     completed_task_id=None):
    """Stage: the furthest along, in the pathway's order, of the open tasks' stages."""
    stage = furthest_stage([row.stage for row in still_open])
    if stage:
        instance.stage = stage
    live = _live(tasks)
    instance.route = _route(workflow, live) or instance.route
    instance.facts = _facts(workflow, live, instance.facts or {}, completed_task_id)
    instance.next_due_at = next_timer_due(workflow)
    if workflow.is_completed():
        instance.status, instance.completed_at, instance.stage = "completed", now, "Pathway complete"


def _route(workflow, live) -> str:
    """The plan's route(s), from the live task that knows it most recently (branches of a
    pathway carry their own copies of the data)."""
    tasks = [t for t in live if t.data.get("routes") or t.data.get("plan")]
    if not tasks and workflow.last_task is not None:
        tasks = [workflow.last_task]
    if not tasks:
        return ""
    data = max(tasks, key=lambda t: t.last_state_change).data
    route = data.get("routes") or data.get("plan") or ""
    if isinstance(route, (list, tuple)):
        return " + ".join(map(str, route))
    return str(route)


def _facts(workflow, live, previous: dict, completed_task_id: str | None) -> dict:
    """The latest value of each fact, over what was known before (a branch that has ended
    keeps its last word). The answers just given are the newest of all: the engine steps
    that follow complete other branches' tasks (joins) that carry older data."""
    sources = sorted(live, key=lambda t: t.last_state_change)
    if workflow.last_task is not None:
        sources.insert(0, workflow.last_task)
    if completed_task_id:
        completed = workflow.get_task_from_id(UUID(completed_task_id))
        if completed is not None:
            sources.append(completed)
    facts = dict(previous)
    for task in sources:
        facts.update({k: jsonable(task.data[k]) for k in FACT_KEYS if k in task.data})
    return facts


def next_timer_due(workflow) -> datetime | None:
    """The earliest waiting timer, as a UTC instant: what the sweep indexes on. An event-based
    gateway waits for all its events at once (a `MultipleEventDefinition`): its timers count
    too, or a child waiting there for "whichever comes first" would never be swept."""
    due = []
    for task in workflow.event_manager.tasks.values():
        instant = timer_instant(task)
        if instant is not None:
            due.append(instant)
    return min(due) if due else None


def timer_instant(task) -> datetime | None:
    """When the waiting timer of `task` (alone or among an event-based gateway's events) is
    due, or None if it has none or has not worked it out yet."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, MultipleEventDefinition):
        if not any(isinstance(d, TimerEventDefinition) for d in definition.event_definitions):
            return None
    elif not isinstance(definition, TimerEventDefinition):
        return None
    value = task._get_internal_data("event_value")
    if isinstance(value, dict):  # a cycle: the next time it fires, while cycles remain
        value = value.get("next") if value.get("cycles") != 0 else None
    if not isinstance(value, str):
        return None
    try:
        return TimerEventDefinition.get_datetime(value)
    except ValueError:
        return None
