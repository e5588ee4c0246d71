"""Read-only queries behind the practitioners' pages (the inbox is `engine.inbox`): one task with its form, a
child's timeline and diagram, the choices for registering a child.

Every function takes the asking user's name and applies `engine.access` itself, so no page
can show what its user may not see. Nothing here writes (viewing a child is recorded by
`engine.position`, which the child page calls first).
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from models import AuditEvent, Child, Database, DiagramVersion, HumanTask, PathwayInstance, Team, User
from workflows.forms import FormDefinition
from workflows.xml import parse_xml
from workflows.roles import (
    ADMINISTRATOR, HEAD_OF_SERVICE, SENIOR_MANAGER, SERVICE_MANAGER, SOCIAL_WORKER,
)

from .form_choices import filled
from . import audit, clock
from .access import COUNCIL_WIDE_ROLES, may_act_on_child, may_complete, may_see_child
from .errors import NotAllowed, NotFound
from .pathway import _closed_message
from .position import OPEN_ORDER, is_overdue
from .specs import loaded_version
from .records import seen_child
from .users import remember_child, user_by_name

#: Managers who oversee every team's work, not just one team's.
SERVICE_WIDE_MANAGERS = frozenset({SERVICE_MANAGER, HEAD_OF_SERVICE, SENIOR_MANAGER})
_LIMIT = 500
_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


#: The columns a task list shows (the inbox, a child's open tasks): never whole tasks and
#: children (instructions, search text and the rest stay in the database).
LISTED = (HumanTask.id, HumanTask.task_id, HumanTask.name, HumanTask.lane, HumanTask.stage,
          HumanTask.due_on, HumanTask.rule, HumanTask.due_reason, HumanTask.due_error,
          Child.id.label("child_id"), Child.name.label("child_name"),
          Child.reference.label("child_reference"), Child.social_worker_id,
          User.display_name.label("social_worker"))


def listed_row(row, today: date, user_id: int) -> dict:
    found = row._asdict()
    found["overdue"] = is_overdue(row.due_on, today)
    found["due_this_week"] = due_this_week(row.due_on, today)
    found["allocated_to_me"] = row.social_worker_id == user_id
    return found


#: Open tasks as lists show them, built once; each list narrows it (a child's, ...).
_OPEN = (select(*LISTED)
         .join(Child, Child.id == HumanTask.child_id)
         .outerjoin(User, User.id == Child.social_worker_id)
         .where(HumanTask.status == "open"))


def _open_rows(session: Session, narrow) -> list:
    query = narrow(_OPEN).order_by(*OPEN_ORDER)
    return list(session.execute(query.limit(_LIMIT)))


def child_open_tasks(db: Database, child_id: int, username: str) -> list[dict]:
    """A child's open tasks, as the inbox shows tasks (with why each is due when it is)."""
    with db.reading() as session:
        user = user_by_name(session, username)
        _seen_child(session, child_id, username)
        rows = _open_rows(session, lambda q: q.where(HumanTask.child_id == child_id))
        return [listed_row(r, clock.today(), user.id) for r in rows]


def due_this_week(due_on: date | None, today: date) -> bool:
    """Due today or in the next six days: a Friday's list warns of Wednesday's meeting."""
    return due_on is not None and 0 <= (due_on - today).days <= 6


@dataclass(frozen=True)
class TaskPage:
    task: dict
    child: dict
    form: FormDefinition | None
    closed_message: str | None   # set when the task is no longer waiting to be done


#: A task with its pathway, child, the child's team and social worker (as the page shows
#: them) and who completed it.
TASK_PAGE = select(HumanTask).where(HumanTask.task_id == bindparam("task_id")).options(
    joinedload(HumanTask.instance).joinedload(PathwayInstance.child)
    .options(joinedload(Child.team), joinedload(Child.social_worker)),
    joinedload(HumanTask.completed_by))


def task_user_may_do(session: Session, user: User, task_id: str, statement) -> HumanTask:
    """The task's row (read by `statement`, taking `task_id`), if the user may do it: not
    found if the child is out of sight; not allowed if the user cannot do the task (wrong
    lane, or a role that does no casework). The one check of every page, draft and
    completion of a task."""
    row = session.scalar(statement, {"task_id": task_id})
    child = row.instance.child if row else None
    if row is None or not may_see_child(user, child):
        raise NotFound(f"There is no task {task_id} that you can see")
    if not may_complete(user, row) or not may_act_on_child(user, child):
        raise NotAllowed(f"'{row.name}' is for the {row.lane}: you do not hold that role")
    return row


def task_form(session: Session, row: HumanTask) -> FormDefinition | None:
    """The task's form as its version has it, with its lists to pick from filled in."""
    if not row.form:
        return None
    return filled(session, loaded_version(session, row.instance.diagram_version_id).forms.get(row.form))


def task_page(db: Database, task_id: str, username: str) -> TaskPage:
    """A task as its page shows it (`task_user_may_do`'s checks)."""
    with db.reading() as session:
        return page_of(session, task_user_may_do(session, user_by_name(session, username), task_id, TASK_PAGE))


def page_of(session: Session, row: HumanTask) -> TaskPage:
    """The page of a task read by `TASK_PAGE` (and checked by `task_user_may_do`)."""
    # the page's prefills and the network beside the form check this child again
    child, form = remember_child(session, row.instance.child), task_form(session, row)
    today = clock.today()
    task = {
        "task_id": row.task_id, "name": row.name, "lane": row.lane, "stage": row.stage,
        "bpmn_id": row.bpmn_id, "status": row.status, "instructions": row.instructions, "due_on": row.due_on,
        "rule": row.rule, "due_reason": row.due_reason,
        "due_error": row.due_error, "overdue": is_overdue(row.due_on, today),
        "due_this_week": due_this_week(row.due_on, today), "form_name": row.form,
    }
    closed = _closed_message(row) if row.status != "open" else None
    return TaskPage(task, child_details(child), form, closed)


def child_details(child: Child) -> dict:
    return {"id": child.id, "reference": child.reference, "name": child.name,
            "date_of_birth": child.date_of_birth, "legal_status": child.legal_status,
            "looked_after_on": child.looked_after_on, "team": child.team.name,
            "social_worker": child.social_worker.display_name if child.social_worker else None,
            "allocated_on": child.allocated_on,
            "before_care": child.before_care, "known_on": child.known_on}   # A10, E18


def _seen_child(session: Session, child_id: int, username: str) -> Child:
    return seen_child(session, child_id, user_by_name(session, username))


#: What a timeline shows; who merely looked is in the trail but is not the child's story.
TIMELINE_KINDS = (audit.STARTED, audit.TASK_OPENED, audit.TASK_COMPLETED, audit.TIMER_FIRED,
                  audit.DEADLINE_MISSED, audit.ERROR, audit.RESUMED, audit.MIGRATED,
                  audit.CASE_EVENT, audit.RECORD_CORRECTED, audit.REALLOCATED,
                  audit.CASE_DETAILS_CHANGED, audit.SIBLING_LINKED, audit.SIBLING_UNLINKED)


#: A child's timeline, newest first: the columns it shows, built once (the child page reads it).
_TIMELINE = (select(AuditEvent.at, AuditEvent.kind, AuditEvent.actor_name, AuditEvent.detail)
             .where(AuditEvent.child_id == bindparam("child_id"), AuditEvent.kind.in_(TIMELINE_KINDS))
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))


_TIMELINE_PAGE = _TIMELINE.limit(200)


def child_timeline(db: Database, child_id: int, username: str, limit: int = 200) -> list[dict]:
    """What happened on the child's pathway, newest first."""
    with db.reading() as session:
        _seen_child(session, child_id, username)
        query = _TIMELINE_PAGE if limit == 200 else _TIMELINE.limit(limit)
        events = session.connection().execute(query, {"child_id": child_id})
        return [{"at": e.at, "kind": e.kind, "actor": e.actor_name, "detail": e.detail or {}}
                for e in events]


def child_diagram(db: Database, child_id: int, username: str) -> str:
    """The BPMN XML of the diagram version the child's pathway runs on."""
    with db.reading() as session:
        child = _seen_child(session, child_id, username)
        instance = session.scalar(select(PathwayInstance).where(PathwayInstance.child_id == child.id)
                                  .order_by(PathwayInstance.id.desc()).limit(1))
        if instance is None:
            raise NotFound(f"{child.name} has no pathway yet")
        version = session.get(DiagramVersion, instance.diagram_version_id)
        return process_file(version.bpmn_files, version.process_id)


def process_file(bpmn_files: dict[str, str], process_id: str) -> str:
    """The file that defines the process (a version may hold called processes' files too)."""
    for xml in bpmn_files.values():
        root = parse_xml(xml)
        if root.find(f"{{{_BPMN}}}process[@id='{process_id}']") is not None:
            return xml
    return next(iter(bpmn_files.values()))


def registration_choices(db: Database, username: str) -> dict:
    """Teams and social workers the user may register a child with: a team-scoped user's own
    team only; council-wide roles any team."""
    with db.reading() as session:
        user = user_by_name(session, username)
        teams = session.scalars(select(Team).order_by(Team.name)).all()
        if not user.roles & (COUNCIL_WIDE_ROLES | {ADMINISTRATOR}):
            teams = [t for t in teams if t.id == user.team_id]
        team_ids = {t.id for t in teams}
        workers = session.scalars(select(User).where(User.active.is_(True))
                                  .options(joinedload(User.team)).order_by(User.display_name)).unique()
        return {
            "teams": [t.name for t in teams],
            "social_workers": [{"username": w.username, "name": w.display_name,
                                "team": w.team.name if w.team else ""}
                               for w in workers if SOCIAL_WORKER in w.roles and w.team_id in team_ids],
        }

