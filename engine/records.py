"""The child's record: each completed task's answers kept with the form they answered, who,
when, and whether on time (DESIGN.md "Growing it"); read only by who may see the child.

`keep` is called by `engine.pathway` inside the completion's transaction, so a completion and
its record are written together or not at all. Reading a record is audited, as viewing a child
is. Corrections are in `engine.corrections`.
"""
import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session, aliased

from models import Child, Database, HumanTask, TaskRecord, User
from workflows.form_choices import with_choices
from workflows.forms import FormDefinition, form_from_dicts
from workflows.record_kinds import kind_label, record_kind

from . import audit, clock
from .access import may_see_child
from .errors import NotFound
from .users import child_by_id, user_by_name


def form_snapshot(form: FormDefinition | None) -> dict:
    if form is None:
        return {}
    return {"name": form.name, "schema": form.schema_json, "ui": form.ui_schema_json}


def form_of(record: TaskRecord, session: Session | None = None) -> FormDefinition | None:
    """The form the record was answered on, rebuilt from the record's own copy; a question
    picked from a list (a PPM action's owner, from staff) reads as what was picked, or, given
    a session (to correct the record), offers today's whole list with those picked."""
    snapshot = record.form or {}
    if not snapshot.get("schema"):
        return None
    form = form_from_dicts(snapshot["name"], snapshot["schema"], snapshot.get("ui"))
    choices = {k: [tuple(p) for p in v] for k, v in ((record.context or {}).get("choices") or {}).items()}
    if session is not None and '"x-choices"' in json.dumps(snapshot["schema"]):
        from .form_choices import staff_choices
        listed = staff_choices(session)
        choices["staff"] = listed + [p for p in choices.get("staff", []) if p not in listed]
    return with_choices(form, choices) if choices else form


def keep(session: Session, row: HumanTask, form: FormDefinition | None, answers: dict,
         task_data: dict, user: User, now: datetime, choices: dict | None = None) -> TaskRecord:
    """The record of a completion (revision 1), in the caller's transaction."""
    context = {"instructions": row.instructions} if row.instructions else {}
    if choices:   # who was picked, by name (engine.form_choices.chosen)
        context["choices"] = choices
    if isinstance(task_data.get("action"), dict):   # a panel action being completed
        context["action"] = audit.jsonable(task_data["action"])
    title = record_title(row.bpmn_id, task_data)
    if title:
        context["title"] = title
    done_on = now.astimezone(clock.LONDON).date()
    record = TaskRecord(
        child_id=row.child_id, instance_id=row.instance_id, human_task_id=row.id,
        task_id=row.task_id, bpmn_id=row.bpmn_id, task_name=title or row.name,
        kind=record_kind(row.form), form=form_snapshot(form), answers=audit.jsonable(answers),
        context=context, completed_at=now, completed_by_name=user.display_name,
        recorded_by_id=user.id, recorded_by_name=user.display_name, recorded_at=now,
        due_on=row.due_on, rule=row.rule,
        on_time=None if row.due_on is None else done_on <= row.due_on, revision=1)
    session.add(record)
    return record


def record_title(bpmn_id: str, task_data: dict) -> str | None:
    """A record's own title where the councils name it: the panel's actions go on the child's
    record as "Permanence Panel Actions (date)" (BCP §6, D19)."""
    if bpmn_id == "record_panel_actions" and task_data.get("panel_held_on"):
        try:
            day = date.fromisoformat(str(task_data["panel_held_on"])[:10])
        except ValueError:
            return None
        return f"Permanence Panel Actions ({day.day} {day:%B %Y})"
    return None


#: A later revision of a record; made once, as making an alias per query cost more than the
#: query it narrowed (a fresh alias is a new set of column proxies each time).
_LATER = aliased(TaskRecord, name="later_revision")


def current_records(query):
    """Narrow a query on TaskRecord to current revisions (those no later revision corrects)."""
    return query.where(~exists().where(_LATER.previous_id == TaskRecord.id))


def summary(record: TaskRecord) -> dict:
    """A record as a list row: what, when, by whom, on time, which revision."""
    return {
        "id": record.id, "task_id": record.task_id, "task_name": record.task_name,
        "bpmn_id": record.bpmn_id, "kind": record.kind, "kind_label": kind_label(record.kind),
        "title": (record.context or {}).get("title") or (record.form or {}).get("schema", {}).get("title")
        or record.task_name,
        "completed_at": record.completed_at, "completed_by": record.completed_by_name,
        "recorded_at": record.recorded_at, "recorded_by": record.recorded_by_name,
        "due_on": record.due_on, "rule": record.rule, "on_time": record.on_time,
        "revision": record.revision, "reason": record.reason, "answers": record.answers or {},
        "context": record.context or {}, "child_id": record.child_id,
        "meeting_on": meeting_date(record.answers or {}),
    }


def meeting_date(answers: dict) -> date | None:
    """The date the record is about (the meeting held, the decision made), if it says one."""
    for key, value in answers.items():
        if key.endswith("_on") and key not in ("next_ppm_on", "due_on") and isinstance(value, str):
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def child_card(child: Child) -> dict:
    return {"id": child.id, "reference": child.reference, "name": child.name,
            "date_of_birth": child.date_of_birth, "legal_status": child.legal_status,
            "looked_after_on": child.looked_after_on, "team": child.team.name,
            "social_worker": child.social_worker.display_name if child.social_worker else None}


def seen_child(session: Session, child_id: int, user: User) -> Child:
    """The child if the user may see them, read once per session (`child_by_id`): a task
    page's parts (its prefills, the network beside it) each check the same child."""
    child = child_by_id(session, child_id)
    if child is None or not may_see_child(user, child):
        raise NotFound(f"There is no child {child_id} that you can see")
    return child


_LISTED = (TaskRecord.id, TaskRecord.task_id, TaskRecord.bpmn_id, TaskRecord.task_name,
           TaskRecord.kind, TaskRecord.completed_at, TaskRecord.completed_by_name,
           TaskRecord.on_time, TaskRecord.revision)


#: A child's current records, newest first (the child page's list), built once.
_CHILD_RECORDS = (current_records(select(*_LISTED).where(TaskRecord.child_id == bindparam("child_id")))
                  .order_by(TaskRecord.completed_at.desc(), TaskRecord.id.desc()))


def child_records(db: Database, child_id: int, username: str, kind: str | None = None) -> dict:
    """The child's current records, newest first, with how many of each kind (for the filter).
    Only the columns a list shows: a child's years of answers stay in the database."""
    with db.reading() as session:
        user = user_by_name(session, username)
        seen_child(session, child_id, user)
        rows = [dict(row._mapping, completed_by=row.completed_by_name, kind_label=kind_label(row.kind))
                for row in session.connection().execute(_CHILD_RECORDS, {"child_id": child_id})]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    shown = [r for r in rows if kind in (None, "", r["kind"])]
    return {"records": shown, "kinds": [(k, kind_label(k), n) for k, n in counts.items()],
            "kind": kind or "", "by_task": {r["task_id"]: r["id"] for r in rows},
            # completions audited before events carried the task id: by step and moment
            "by_moment": {(r["bpmn_id"], r["completed_at"]): r["id"] for r in rows}}


@dataclass(frozen=True)
class RecordView:
    record: dict                 # the current revision
    revisions: list[dict]        # every revision, newest first
    form: FormDefinition | None  # the form it was answered on
    child: dict
    may_correct: bool


def read_record(db: Database, record_id: int, username: str, *, purpose: str = "page") -> RecordView:
    """A record with its history, as the user may see it; the reading is audited (`purpose`:
    the page, the API, the print view or the PDF). Any revision's id reads the whole record."""
    from .corrections import may_correct   # one module for who may correct
    with db.transaction() as session:
        user = user_by_name(session, username)
        any_revision = session.get(TaskRecord, record_id)
        if any_revision is None:
            raise NotFound(f"There is no record {record_id} that you can see")
        child = seen_child(session, any_revision.child_id, user)
        revisions = list(session.scalars(select(TaskRecord).where(
            TaskRecord.task_id == any_revision.task_id).order_by(TaskRecord.revision.desc())))
        current = revisions[0]
        audit.record(session, audit.RECORD_VIEWED if purpose in ("page", "api")
                     else audit.RECORD_DOWNLOADED,
                     clock.now(), actor=user, child_id=child.id, instance_id=current.instance_id,
                     record_id=current.id, task=current.task_name, purpose=purpose)
        allowed = may_correct(session, user, child, revisions[-1])
        # One who may correct it picks from today's whole list (staff), not only those picked.
        form = form_of(current, session) if allowed and purpose == "page" else form_of(current)
        return RecordView(summary(current), [summary(r) for r in revisions], form,
                          child_card(child), allowed)


def record_of_task(db: Database, task_id: str, username: str) -> int | None:
    """The current record of a done task, if it made one (for the task page)."""
    with db.reading() as session:
        user = user_by_name(session, username)
        row = session.scalar(current_records(select(TaskRecord).where(TaskRecord.task_id == task_id)))
        if row is None or not may_see_child(user, session.get(Child, row.child_id)):
            return None
        return row.id

