"""Correcting a completed record: the author or their Team Manager, with a reason, as a new
revision; the earlier revisions stay as they were, and the audit trail says who changed what.

A date that a running statutory clock counts from (a PPM's date, a review's date, an order's
date) is not changed by a correction: the clocks were set from it inside the running pathway
and a correction cannot move them, and a clock must never count from a date the record no
longer says. Such a correction is refused with the clocks named; once they are settled the
date can be corrected.
"""
from datetime import date

from sqlalchemy import select
from SpiffWorkflow.util.task import TaskState

from models import Child, Database, Deadline, HumanTask, PathwayInstance, TaskRecord, User
from workflows.forms import FormDefinitionError, form_from_dicts
from workflows.roles import TEAM_MANAGER

from . import audit, clock
from .access import may_act_on_child
from .errors import FormInvalid, InstanceInError, NotAllowed, NotFound
from .form_choices import chosen
from .pathway import case_data
from .records import current_records, form_of, seen_child
from .runtime import open_workflow
from .specs import loaded_version
from .users import user_by_name

REASON_CAP = 2000


def may_correct(session, user: User, child: Child, original: TaskRecord) -> bool:
    """The author of the record, or a Team Manager of the author's team (or, failing an
    author's team, the child's), who may act for the child."""
    if not may_act_on_child(user, child):
        return False
    if original.recorded_by_id == user.id:
        return True
    if TEAM_MANAGER not in user.roles:
        return False
    author = session.get(User, original.recorded_by_id) if original.recorded_by_id else None
    team_id = author.team_id if author and author.team_id else child.team_id
    return user.team_id == team_id


def correct_record(db: Database, record_id: int, data: dict, reason: str, username: str) -> int:
    """Validate the corrected answers against the record's own form, refuse a moved clock
    date, and add the new revision; returns its id."""
    now = clock.now()
    with db.transaction() as session:
        user = user_by_name(session, username)
        current = session.scalar(current_records(select(TaskRecord).where(
            TaskRecord.task_id == select(TaskRecord.task_id).where(
                TaskRecord.id == record_id).scalar_subquery())))
        if current is None:
            raise NotFound(f"There is no record {record_id} that you can see")
        child = seen_child(session, current.child_id, user)
        original = session.scalar(select(TaskRecord).where(
            TaskRecord.task_id == current.task_id, TaskRecord.revision == 1))
        if not may_correct(session, user, child, original):
            raise NotAllowed(f"Only {original.recorded_by_name}, who made this record, or their "
                             "Team Manager can correct it")
        clean = _checked(session, current, child, data, reason)
        changed = sorted(k for k in set(clean) | set(current.answers or {})
                         if clean.get(k) != (current.answers or {}).get(k))
        if not changed:
            raise FormInvalid({"reason": ["Change at least one answer: the corrected answers "
                                          "are the same as the record"]}, data)
        refusal = _moving_a_clock(session, current, clean, changed, user, now)
        if refusal is None:
            return _add_revision(session, current, clean, changed, reason, user, now)
    # Refused: the transaction kept only the audit event of the refusal.
    raise FormInvalid(refusal, data)


def _add_revision(session, current, clean, changed, reason, user, now) -> int:
    revision = TaskRecord(
        child_id=current.child_id, instance_id=current.instance_id,
        human_task_id=current.human_task_id, task_id=current.task_id, bpmn_id=current.bpmn_id,
        task_name=current.task_name, kind=current.kind, form=current.form, answers=clean,
        context=_context(session, current, clean), completed_at=current.completed_at,
        completed_by_name=current.completed_by_name, recorded_by_id=user.id,
        recorded_by_name=user.display_name, recorded_at=now, due_on=current.due_on,
        rule=current.rule, on_time=current.on_time, revision=current.revision + 1,
        reason=reason.strip(), previous_id=current.id)
    session.add(revision)
    session.flush()
    audit.record(session, audit.RECORD_CORRECTED, now, actor=user, child_id=current.child_id,
                 instance_id=current.instance_id, record_id=revision.id,
                 task=current.task_name, revision=revision.revision, reason=reason.strip(),
                 changed={k: {"from": (current.answers or {}).get(k), "to": clean.get(k)}
                          for k in changed})
    return revision.id


def _context(session, current: TaskRecord, clean: dict) -> dict:
    """The record's context, with whoever the corrected answers pick (by name)."""
    context = dict(current.context or {})
    snapshot = current.form or {}
    if snapshot.get("schema"):
        picked = chosen(session, form_from_dicts(snapshot["name"], snapshot["schema"], snapshot.get("ui")), clean)
        context.pop("choices", None)
        if picked:
            context["choices"] = picked
    return context


def _checked(session, current: TaskRecord, child: Child, data: dict, reason: str) -> dict:
    """The corrected answers as the form cleans them, or every error at once."""
    form = form_of(current, session)
    if form is None:
        raise FormInvalid({"reason": ["This record has no answers to correct"]}, data)
    instance = session.get(PathwayInstance, current.instance_id)
    case = {**case_data(child), **(instance.facts or {}), **(current.answers or {})}
    try:
        clean, errors = form.validate(data, today=clock.today(), context=case)
    except FormDefinitionError as exc:
        raise InstanceInError(f"This record's form cannot be read ({exc})") from exc
    errors = dict(errors)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Enter the reason for the correction"]
    elif len(reason) > REASON_CAP:
        errors["reason"] = [f"The reason for the correction must be {REASON_CAP} characters or fewer"]
    if errors:
        raise FormInvalid(errors, data)
    return audit.jsonable(clean)


def _moving_a_clock(session, current, clean, changed, user, now) -> dict | None:
    """A changed date that a live task's due date or a running statutory clock counts from."""
    form = form_of(current)
    dates = [f for f in form.fields if f.kind == "date" and f.name in changed
             and (current.answers or {}).get(f.name)]
    if not dates:
        return None
    instance = session.get(PathwayInstance, current.instance_id)
    if instance.status != "active":
        return None
    clocks = _clocks_counting_from(session, instance, {f.name: current.answers[f.name] for f in dates})
    for field in dates:
        running = clocks.get(field.name)
        if not running:
            continue
        old = _long(current.answers[field.name])
        listed = "; ".join(running)
        message = (f"{field.error_subject} cannot be corrected yet: the statutory clocks now "
                   f"running count from {old} ({listed}), and a correction cannot move them. "
                   f"Once they are settled, the author or their Team Manager can correct it "
                   f"here. You can correct the other answers now.")
        audit.record(session, audit.CORRECTION_REFUSED, now, actor=user,
                     child_id=current.child_id, instance_id=current.instance_id,
                     record_id=current.id, task=current.task_name, field=field.name,
                     old=current.answers[field.name], new=clean.get(field.name), clocks=running)
        return {field.name: [message]}
    return None


def _clocks_counting_from(session, instance, old_dates: dict) -> dict[str, list[str]]:
    """field -> the open tasks with a due date and running deadlines whose data holds the
    record's date for that field: the clocks that were set from it."""
    loaded = loaded_version(session, instance.diagram_version_id)
    workflow = open_workflow(instance, loaded)
    tasks = {str(row.task_id): row for row in session.scalars(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.status == "open",
        HumanTask.due_on.is_not(None)))}
    deadlines = {row.key: row for row in session.scalars(select(Deadline).where(
        Deadline.instance_id == instance.id, Deadline.status == "running"))}
    found: dict[str, list[str]] = {}
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
        row = tasks.get(str(task.id)) or deadlines.get(str(task.id))
        if row is None:
            continue
        for name, old in old_dates.items():
            if audit.jsonable(task.data.get(name)) == old:
                label = row.name if isinstance(row, HumanTask) else row.label
                found.setdefault(name, []).append(
                    f"{label}, due {_long(row.due_on.isoformat())} ({row.rule})" if row.rule
                    else f"{label}, due {_long(row.due_on.isoformat())}")
    return found


def _long(iso: str) -> str:
    day = date.fromisoformat(str(iso)[:10])
    return f"{day.day} {day:%B %Y}"
