"""A child's pathway: start it, complete a task in it, say where it stands.

Each call is one transaction: load the instance row, check who may do what, run the
workflow, rewrite the projections, append the audit event, commit. The instance's version
column turns a concurrent change into a retry, and a task completed by someone else in the
meantime into a plain "already completed by ..." message with nothing half-written.
"""
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from models import Child, Database, DiagramVersion, HumanTask, PathwayInstance, TaskDraft, User
from workflows.form_fields import FormDefinitionError
from workflows.roles import PRACTICE_LEAD, TEAM_MANAGER

from . import actions, audit, batched_rows, clock, fgc_clock, outbox, ppm_actions, records
from .access import may_act_on_child, may_complete, may_record_history, may_see_child
from .form_choices import chosen, filled, staff_for
from .errors import Conflict, FormInvalid, InstanceInError, NotAllowed, NotFound, TaskNotOpen
from .projections import element_place
from .runtime import advance, new_workflow, open_workflow, save
from .specs import loaded_version
from .users import user_by_name

DEFAULT_PROCESS = "permanence_pathway"
_RETRIES = 3


@dataclass(frozen=True)
class Outcome:
    """What a start or a completion led to, for the confirmation a user sees."""
    instance_id: int
    opened: list[dict]
    status: str
    error: str | None = None


def start_pathway(db: Database, child_id: int, actor: str,
                  process_id: str = DEFAULT_PROCESS) -> Outcome:
    with db.transaction() as session:
        user = user_by_name(session, actor)
        child = session.get(Child, child_id)
        if child is None or not may_see_child(user, child):
            raise NotFound(f"There is no child {child_id} that you can see")
        return start_in(session, child, user, process_id)


def start_in(session: Session, child: Child, user: User, process_id: str,
             recording_history: bool = False, carried: dict | None = None) -> Outcome:
    """Start `child`'s pathway inside the caller's transaction (registering a child and
    starting the pathway happen together or not at all). `recording_history`: the import,
    as an administrator (engine/importing). `carried`: what the work before care recorded
    (engine.before_care), beside the case data."""
    now = clock.now()
    if not (may_record_history(user) if recording_history else may_act_on_child(user, child)):
        raise NotAllowed(f"You cannot start a pathway for {child.name}")
    if session.scalar(select(PathwayInstance.id).where(
            PathwayInstance.child_id == child.id, PathwayInstance.status != "completed")):
        raise Conflict(f"{child.name} is already on a pathway")
    version = latest_version(session, process_id)
    loaded = loaded_version(session, version.id)
    workflow = new_workflow(loaded, {**(carried or {}), **case_data(child)})
    instance = PathwayInstance(child=child, diagram_version_id=version.id, state="",
                               status="active", started_at=now, updated_at=now)
    session.add(instance)
    session.flush()
    error = _run(workflow, advance)
    return _finish(session, instance, workflow, now, user, error,
                   audit.STARTED, process=process_id, version=version.version)


def complete_task(db: Database, task_id: str, data: dict, actor: str, *,
                  strict: bool = False, recording_history: bool = False,
                  discarding_drafts: bool = False) -> Outcome:
    """Validate `data` against the task's form and complete the task as `actor`. `strict`
    (for programs: the CLI, the API) also refuses answers the form does not ask for.
    `recording_history` (the import only): an administrator records what a child's tracker
    says was done, in any lane; every other check stands. `discarding_drafts`: everyone's
    drafts of the task go in the same transaction (done, nobody's draft of it is wanted; a
    completion refused keeps them)."""
    for _attempt in range(_RETRIES):
        try:
            return _complete_once(db, task_id, data, actor, strict, recording_history, discarding_drafts)
        except StaleDataError:
            continue  # someone changed the pathway meanwhile: look again from the start
    raise Conflict("The pathway kept changing while your answers were being saved. "
                   "Nothing was saved: please try again.")


def _complete_once(db, task_id, data, actor, strict=False, recording_history=False,
                   discarding_drafts=False) -> Outcome:
    with db.transaction() as session:
        outcome = complete_in(session, task_id, data, user_by_name(session, actor), strict, recording_history)
        if discarding_drafts:
            session.execute(delete(TaskDraft).where(TaskDraft.task_id == task_id))
        return outcome


def complete_in(session: Session, task_id: str, data: dict, user: User, strict: bool = False,
                recording_history: bool = False, at_registration: bool = False,
                row: HumanTask | None = None) -> Outcome:
    """Complete a task inside the caller's transaction. `at_registration`: what the person
    registering the child says was already done (an FGC held at the edge of care, A9), recorded
    with the registration whatever their lane; the form's checks stand. `row`: the task's row
    with its pathway, read already in this transaction (else read here)."""
    now = clock.now()
    if row is None:
        row = session.scalar(_TASK_ROW, {"task_id": task_id})
    instance = row.instance if row else None
    if row is None or not may_see_child(user, instance.child):
        raise NotFound(f"There is no task {task_id} that you can see")
    if row.status != "open":
        raise TaskNotOpen(_closed_message(row))
    if recording_history:
        if not may_record_history(user):
            raise NotAllowed("Only an administrator may record a child's history")
    elif at_registration:
        if not may_act_on_child(user, instance.child):
            raise NotAllowed(f"You cannot record '{row.name}' for {instance.child.name}")
    elif not may_complete(user, row) or not may_act_on_child(user, instance.child):
        raise NotAllowed(f"'{row.name}' is for the {row.lane}: you do not hold that role")
    if instance.status != "active":
        raise InstanceInError(f"{instance.child.name}'s pathway is {instance.status}"
                              + (f": {instance.error_message}" if instance.error_message else ""))
    loaded = loaded_version(session, instance.diagram_version_id)
    try:
        workflow = open_workflow(instance, loaded)
    except Exception as exc:  # a stored state that cannot be read: stop this pathway
        message = stop_unreadable(session, instance, exc, now)
        return Outcome(instance.id, [], instance.status, message)
    task = _ready_task(workflow, row)
    raw_form = loaded.forms.get(row.form) if row.form else None
    staff = staff_for(session, raw_form)   # read once: the check and the record both need it
    clean = _validated(filled(session, raw_form, staff), row, data, task.data, strict)
    for name in LAPSING_ANSWERS & set(raw_form.schema_json.get("properties", {}) if raw_form else ()):
        clean.setdefault(name, None)
    actions.check_owners(session, row.bpmn_id, instance.child, clean, data)
    task.set_data(**clean)
    from . import early_permanence   # E20, E21: it records case events, which import this module
    early_permanence.before_run(task, row.bpmn_id, clean)
    moved = (early_permanence.check_placement(session, instance.child, instance, clean, task.data, data)
             if row.bpmn_id == early_permanence.PLACEMENT_STEP else None)   # E21: before anything
    caught: list[str] = []

    def step(wf):
        task.run()
        advance(wf)
        early_permanence.after_run(wf, task, row.bpmn_id)
        if moved is not None:
            caught.extend(early_permanence.hear_placement(wf, moved))
    error = _run(workflow, step)
    outcome = _finish(session, instance, workflow, now, user, error, audit.TASK_COMPLETED,
                      completed_task_id=task_id, task_id=task_id, task=row.name,
                      bpmn_id=row.bpmn_id, data=clean)
    if moved is not None and error is None:   # D22, D23: in the placement history, as any move
        early_permanence.record_placement(session, user, instance.child, instance, moved, caught, now)
    # After the flush that checked the instance's version: a concurrent completion has
    # failed by now, so only the winner's answers become the record.
    record = records.keep(session, row, raw_form, clean, task.data, user, now,
                          choices=chosen(session, raw_form, clean, staff))
    if not recording_history:   # an imported past PPM's actions are not new work
        ppm_actions.from_record(session, record, instance.child, user, now)
        ppm_actions.from_panel_actions(session, record, instance.child, user, now,
                                       task.data.get("panel_held_on"))
    fgc_clock.held(session, record, user, now)   # R6: a missed-FGC escalation is done
    from .casework import network_records   # A9, E6: the FGC's carers and the assessments
    network_records.from_record(session, record, instance.child, user, now)
    from . import before_care   # it registers children, so it imports this module
    if row.bpmn_id == before_care.LOOKED_AFTER_STEP and outcome.error is None:
        entered = before_care.after_record(session, instance, clean, user, now)
        if entered is not None:   # A10, B1, E18: the permanence pathway starts from entry
            # The outcome is the new pathway's: it has begun, the work before care has ended.
            started = session.get(PathwayInstance, entered.instance_id)
            outcome = Outcome(entered.instance_id, outcome.opened + entered.opened, started.status)
    return outcome


#: The task and its pathway (and child): built once, as every completion reads it.
_TASK_ROW = (select(HumanTask).where(HumanTask.task_id == bindparam("task_id"))
             .options(joinedload(HumanTask.instance)))

#: Answers that belong to one meeting only: left blank, the last meeting's is not kept (the
#: next PPM date a PPM set, B21, is that PPM's; a later PPM that sets none sets none).
LAPSING_ANSWERS = frozenset({"next_ppm_on"})


def _validated(form, row: HumanTask, data: dict, case: dict, strict: bool = False) -> dict:
    """The answers, checked against the task's form and the form's rules over the case."""
    if row.form and form is None:
        raise InstanceInError(f"The form '{row.form}' for '{row.name}' is missing from the diagram")
    if strict and (unknown := form.unknown_answers(data) if form else
                   {name: [f"'{row.name}' has no form, so no answers"] for name in data}):
        raise FormInvalid(unknown, data)
    if form is None:
        return {}
    try:
        clean, errors = form.validate(data, today=clock.today(), context=case)
    except FormDefinitionError as exc:
        raise InstanceInError(f"'{row.name}' cannot be completed: its form is wrong ({exc})") from exc
    if errors:
        raise FormInvalid(errors, data)
    return clean


def _ready_task(workflow, row: HumanTask):
    """SpiffWorkflow's `run()` completes a task in any state: refuse all but a READY user task."""
    try:
        task = workflow.get_task_from_id(UUID(row.task_id))
    except TaskNotFoundException:
        task = None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskNotOpen(f"'{row.name}' is not waiting to be done")
    if task.task_spec.lane != row.lane and not (   # C8: the Team Manager stands in for a Practice Lead
            task.task_spec.lane == PRACTICE_LEAD and row.lane == TEAM_MANAGER):
        raise NotAllowed(f"'{row.name}' is for the {task.task_spec.lane}")
    return task


def _run(workflow, step) -> str | None:
    """Run a step; a failing diagram element stops this one pathway with its message."""
    try:
        step(workflow)
    except Exception as exc:  # raised from inside the diagram (conditions, scripts, timers)
        return describe_error(exc)
    return None


def _finish(session: Session, instance, workflow, now, user, error, kind,
            completed_task_id=None, **detail) -> Outcome:
    # One flush writes the pathway's version-checked UPDATE, then its task and clock rows;
    # the audit trail and outbox rows of the save go after it, in one statement per table,
    # in the order they were recorded (nothing reads them back).
    with batched_rows.gathered(session):
        audit.record(session, kind, now, actor=user, child_id=instance.child_id,
                     instance_id=instance.id, **detail)
        changes = save(session, instance, workflow, now, completed_task_id, user, flushed_after=True)
        session.flush()
        batched_rows.write(session)
    if error:
        mark_error(session, instance, error, now)
    session.flush()
    opened = [{"task_id": r.task_id, "name": r.name, "lane": r.lane, "due_on": r.due_on,
               "rule": r.rule} for r in changes.opened]
    return Outcome(instance.id, opened, instance.status, error)


def unreadable(exc: Exception) -> str:
    """Why a stored state could not be opened (a completion, a case event or a move)."""
    return f"the pathway could not be loaded: {type(exc).__name__}: {exc}"


def stop_unreadable(session: Session, instance: PathwayInstance, exc: Exception, now) -> str:
    """Stop a pathway whose stored state cannot be opened, visibly; the message."""
    message = unreadable(exc)
    mark_error(session, instance, message, now)
    return message


def mark_error(session: Session, instance: PathwayInstance, message: str, now: datetime) -> None:
    """Stop this one pathway, visibly, until someone fixes and resumes it."""
    instance.status, instance.error_message, instance.next_due_at = "error", message, None
    audit.record(session, audit.ERROR, now, child_id=instance.child_id,
                 instance_id=instance.id, message=message)
    outbox.record(session, outbox.PATHWAY_ERROR, now, instance, message=message)


def describe_error(exc: Exception) -> str:
    """The message a pathway in error shows: the element, the diagram file, then what failed."""
    task = getattr(exc, "task", None)
    return f"{element_place(task)}: {exc}" if task is not None else str(exc)


def _closed_message(row: HumanTask) -> str:
    if row.status == "completed":
        who = row.completed_by.display_name if row.completed_by else "someone else"
        when = row.completed_at.astimezone(clock.LONDON).strftime("%-d %B %Y at %H:%M")
        return f"'{row.name}' was already completed by {who} on {when}"
    return f"'{row.name}' is no longer needed: the pathway moved on without it"


def latest_version(session: Session, process_id: str) -> DiagramVersion:
    version = session.scalar(select(DiagramVersion).where(DiagramVersion.process_id == process_id)
                             .order_by(DiagramVersion.version.desc()).limit(1))
    if version is None:
        raise NotFound(f"No version of the diagram '{process_id}' has been published")
    return version


def case_data(child: Child) -> dict:
    """What the diagram knows about the child from the start: deadlines run from these."""
    data = {
        "child_reference": child.reference, "child_name": child.name,
        "date_of_birth": child.date_of_birth, "legal_status": child.legal_status,
        "looked_after_on": child.looked_after_on, "team": child.team.name,
    }
    if child.before_care:   # A10, E18: why the council knows a child not yet looked after
        data["before_care"] = child.before_care
    if child.known_on:
        data["known_on"] = child.known_on
    return data
