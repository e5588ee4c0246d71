"""Moving running pathways onto a new diagram version.

A pathway stays on the version it started on until moved. A move is safe only when nothing
the child has already done, or is doing, was changed or removed in the new version
(SpiffWorkflow's diff aligns tasks by BPMN id); the dry run says, for every running pathway,
whether it can move and, if not, which done task stands in the way. Moving keeps running
deadlines: only READY tasks are re-predicted (`reset_mask=READY`), waiting timers keep the
dates they already computed. Each pathway moves in its own transaction and is audited; one
that cannot move stays where it is.

A boundary event the new version adds to a step the child is at now (an open task, a waiting
event or a running called process whose other boundary events are already armed) is armed
as the pathway moves, once, beside them (`_arm_new_boundary_events`): nothing done changes,
and the step hears it from now on (the start of A11's LGM reviews on the final hearing and the
pre-proceedings review). A repeating timer's branch the new version removes or changes does not
stop a move (`engine.move_history`): the timer is cancelled with the step it had open, and the
removed branch's finished tasks leave the tree (`_drop_removed`), so the moved
state reads back.
Where the step had no boundary events before, SpiffWorkflow has no place to hang one (the
step's parent, done, would need a new split): it is armed the next time the step is reached.

A pathway stopped in error does not move (fix and resume it first). What the child did is
judged on the recorded history as well as on the pruned task tree, and only changes of
substance count (`engine.move_history`). After a move the open tasks' rows show the new
version's names, lanes and forms.
"""
from dataclasses import dataclass, field

from sqlalchemy import select
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from models import Database, Deadline, DiagramVersion, PathwayInstance
from workflows.serialization import REGISTRY

from . import audit, clock
from .errors import NotFound
from .move_history import changed_in_substance, recorded_blockers, repeating_branches
from .pathway import unreadable
from .projections import refresh_open_tasks
from .runtime import advance, open_workflow, save
from .specs import loaded_version
from .statutory_clocks import statutory_clocks
from .users import user_by_name

_DONE = TaskState.COMPLETED | TaskState.STARTED


@dataclass
class Candidate:
    instance_id: int
    child_id: int
    child_name: str
    from_version: int
    can_move: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class MoveReport:
    moved: list[int] = field(default_factory=list)
    not_moved: list[Candidate] = field(default_factory=list)


def plan_move(db: Database, process_id: str, to_version: int) -> list[Candidate]:
    """The dry run: every running pathway of `process_id` on an older version."""
    with db.transaction() as session:
        target = _version(session, process_id, to_version)
        new = loaded_version(session, target.id)
        rows = session.execute(
            select(PathwayInstance, DiagramVersion.version)
            .join(DiagramVersion, DiagramVersion.id == PathwayInstance.diagram_version_id)
            .where(DiagramVersion.process_id == process_id, DiagramVersion.version < to_version,
                   PathwayInstance.status.in_(("active", "error")))
            .order_by(PathwayInstance.id)).all()
        candidates = []
        for instance, version in rows:
            reasons = _reasons(session, instance, new)
            candidates.append(Candidate(instance.id, instance.child_id, instance.child.name, version,
                                        not reasons, reasons))
        return candidates


def move_instances(db: Database, process_id: str, to_version: int, actor: str) -> MoveReport:
    """Move every pathway the dry run says can move, each in its own transaction."""
    report = MoveReport()
    for candidate in plan_move(db, process_id, to_version):
        if candidate.can_move and _move_one(db, candidate.instance_id, process_id, to_version, actor):
            report.moved.append(candidate.instance_id)
        else:
            report.not_moved.append(candidate)
    return report


def _reasons(session, instance, new) -> list[str]:
    """Why `instance` cannot move onto the loaded version `new` ([] if it can)."""
    if instance.status != "active":
        return [f"the pathway is stopped in error ({instance.error_message or 'no message'}): "
                "fix it and resume it before moving it"]
    old = loaded_version(session, instance.diagram_version_id)
    try:
        workflow = open_workflow(instance, old)
    except Exception as exc:  # a state that cannot be read cannot be moved either
        return [unreadable(exc)]
    reasons = blockers(workflow, new, old)[0] + recorded_blockers(session, instance.id, old, new)
    return list(dict.fromkeys(reasons))


def blockers(workflow, new, old=None) -> tuple[list[str], tuple]:
    """Why `workflow` cannot move to the loaded version `new` ([] if it can), and the diffs.
    With the version it is on (`old`), a repeating timer's branch that version had does not
    hold it (`engine.move_history`): an open step on it closes as the move cancels the timer."""
    top, subs = diff_workflow(REGISTRY, workflow, new.spec, new.subprocess_specs)
    repeating = repeating_branches(old) if old is not None else set()
    reasons = _done_and_changed(top, repeating)
    for sp_id, diff in subs.items():
        sp = workflow.subprocesses[sp_id]
        if diff is None:
            reasons.append(f"the called process '{sp.spec.name}' is not in the new version")
        else:
            reasons += _done_and_changed(diff, repeating)
    return reasons, (top, subs)


def _done_and_changed(diff, repeating=frozenset()) -> list[str]:
    reasons = []
    for task in diff.removed:
        if not task.task_spec.bpmn_id or task.task_spec.bpmn_id in repeating:
            continue  # the engine's own split and join tasks; a repeating timer's branch
        if task.has_state(_DONE):
            reasons.append(f"'{_label(task)}' was done and is removed in the new version")
        elif task.has_state(TaskState.READY) or (task.has_state(TaskState.WAITING) and not _is_event(task)):
            reasons.append(f"the child is at '{_label(task)}', which is removed in the new version")
    for task in diff.changed:
        if (task.has_state(_DONE) and task.task_spec.bpmn_id and task not in diff.removed
                and task.task_spec.bpmn_id not in repeating
                and changed_in_substance(task.task_spec, diff.alignment[task])):
            reasons.append(f"'{_label(task)}' was done and is changed in the new version")
    return reasons


def _is_event(task) -> bool:
    return getattr(task.task_spec, "event_definition", None) is not None


def _cancel_removed_events(diff) -> None:
    """A waiting timer or event the new version no longer has is cancelled, not left armed."""
    for task in diff.removed:
        if task.task_spec.bpmn_id and _is_event(task) and not task.has_state(TaskState.FINISHED_MASK):
            task.cancel()


_AT = TaskState.READY | TaskState.WAITING | TaskState.STARTED


def _drop_removed(diff, process, repeating) -> None:
    """A repeating timer's branch the new version removed (`engine.move_history`) leaves the
    tree once the move has cancelled it: a saved state naming a spec the version lacks could
    not be read back. Only when nothing below it is live."""
    for task in diff.removed:
        if (task.id in process.tasks and task.task_spec.bpmn_id in repeating
                and task.has_state(TaskState.FINISHED_MASK)
                and not any(t.has_state(TaskState.NOT_FINISHED_MASK) for t in task if t is not task)):
            process._remove_task(task.id)


def _arm_new_boundary_events(process) -> list[str]:
    """Arm, under the done split of each step the child is at, the boundary events of the new
    version that split does not have yet; the ids armed. Each is added once (a split's
    children are its events), waits from now and reads the step's data, as if it had been
    there when the step opened."""
    armed = []
    for task in list(process.get_tasks(state=_AT, skip_subprocesses=True)):
        split = task.parent
        if (isinstance(task.task_spec, BoundaryEvent) or split is None
                or not isinstance(split.task_spec, BoundaryEventSplit)
                or not split.has_state(TaskState.COMPLETED)):
            continue
        present = {child.task_spec for child in split.children}
        for spec in split.task_spec.outputs:
            if spec not in present and isinstance(spec, BoundaryEvent):
                child = split._add_child(spec, TaskState.FUTURE)
                # Predicted first, as SpiffWorkflow does for a task it adds: an event that
                # fires with no children predicted would complete and lead nowhere.
                spec._predict(child, mask=TaskState.NOT_FINISHED_MASK)
                spec._update(child)
                armed.append(spec.bpmn_id)
    return armed


def _label(task) -> str:
    spec = task.task_spec
    return f"{spec.bpmn_name or spec.bpmn_id} ({spec.bpmn_id})"


def _move_one(db, instance_id, process_id, to_version, actor) -> bool:
    now = clock.now()
    with db.transaction() as session:
        user = user_by_name(session, actor)
        instance = session.get(PathwayInstance, instance_id)
        old = loaded_version(session, instance.diagram_version_id)
        new = loaded_version(session, _version(session, process_id, to_version).id)
        if _reasons(session, instance, new):  # changed since the dry run
            return False
        workflow = open_workflow(instance, old)
        top, subs = blockers(workflow, new)[1]
        repeating = repeating_branches(old)
        migrate_workflow(top, workflow, new.spec, reset_mask=TaskState.READY)
        _cancel_removed_events(top)
        _drop_removed(top, workflow, repeating)
        _arm_new_boundary_events(workflow)
        for sp_id, diff in subs.items():
            sp = workflow.subprocesses[sp_id]
            migrate_workflow(diff, sp, new.subprocess_specs[sp.spec.name], reset_mask=TaskState.READY)
            _cancel_removed_events(diff)
            _drop_removed(diff, sp, repeating)
            _arm_new_boundary_events(sp)
        workflow.subprocess_specs = new.subprocess_specs
        advance(workflow)
        instance.diagram_version_id = new.id
        audit.record(session, audit.MIGRATED, now, actor=user, child_id=instance.child_id,
                     instance_id=instance.id, from_version=old.version, to_version=new.version)
        save(session, instance, workflow, now, actor=user)
        refresh_open_tasks(session, instance, workflow)
        _close_removed_clocks(session, instance.id, workflow)
        return True


def _close_removed_clocks(session, instance_id: int, workflow) -> None:
    """A statutory clock the new version no longer has stops showing as running."""
    tasks = workflow.get_tasks()
    present = {str(t.id) for t in tasks} | {c.key for c in statutory_clocks(tasks)}
    for row in session.scalars(select(Deadline).where(Deadline.instance_id == instance_id,
                                                      Deadline.status == "running")):
        if row.key not in present:
            row.status = "cancelled"


def _version(session, process_id: str, version: int) -> DiagramVersion:
    row = session.scalar(select(DiagramVersion).where(DiagramVersion.process_id == process_id,
                                                      DiagramVersion.version == version))
    if row is None:
        raise NotFound(f"There is no version {version} of '{process_id}'")
    return row
