"""Where a child's pathway stands: read from the projections, plus the diagram elements the
child is at now (the one read that opens the workflow, for one child at a time)."""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, select

from models import Child, Database, Deadline, HumanTask, PathwayInstance

from . import audit, clock
from .access import may_see_child
from .errors import NotFound
from .users import child_by_id, user_by_name


@dataclass(frozen=True)
class Position:
    child: dict
    instance_id: int | None
    process: str | None
    version: int | None
    status: str
    stage: str
    route: str
    error: str | None
    next_due_at: datetime | None
    open_tasks: list[dict]
    deadlines: list[dict]
    current_elements: list[str]
    completed_elements: list[str]
    #: The child's open tasks (of any of their pathways) as lists show them
    #: (`engine.views.listed_row`), for the child page: read with the pathway's own tasks.
    child_open_tasks: list[dict] = field(default_factory=list)


#: The columns the page shows: never the whole rows (and the instance's child again).
_INSTANCE = (PathwayInstance.id, PathwayInstance.diagram_version_id, PathwayInstance.state,
             PathwayInstance.status, PathwayInstance.stage, PathwayInstance.route,
             PathwayInstance.error_message, PathwayInstance.next_due_at)
_TASK = (HumanTask.task_id, HumanTask.name, HumanTask.lane, HumanTask.stage, HumanTask.due_on,
         HumanTask.rule, HumanTask.due_error, HumanTask.child_id, HumanTask.status, HumanTask.bpmn_id,
         HumanTask.id, HumanTask.instance_id, HumanTask.due_reason)
_DEADLINE = (Deadline.label, Deadline.rule, Deadline.due_on, Deadline.status, Deadline.met_on)
#: The page's three reads, built once.
_LATEST_INSTANCE = (select(*_INSTANCE).where(PathwayInstance.child_id == bindparam("child_id"))
                    .order_by(PathwayInstance.id.desc()).limit(1))
#: Every task of the child's, oldest first: the latest pathway's make the position, the open
#: ones of any pathway the child page's list (a child may have had a pathway before care).
_TASKS = select(*_TASK).where(HumanTask.child_id == bindparam("child_id")).order_by(HumanTask.id)
#: As many open tasks as a list shows (engine.views).
_LISTED_LIMIT = 500
_DEADLINES = (select(*_DEADLINE).where(Deadline.instance_id == bindparam("instance_id"))
              .order_by(Deadline.due_on))


def position(db: Database, child_id: int, actor: str | None = None) -> Position:
    """`actor` None is the operator on the server; a user sees only children they may.
    Read in a reading session (the page's snapshot); only the audit of the view writes."""
    with db.reading() as session:
        child = child_by_id(session, child_id)
        user = user_by_name(session, actor) if actor else None
        if child is None or (user and not may_see_child(user, child)):
            raise NotFound(f"There is no child {child_id} that you can see")
        found = _position(session, child, user.id if user else None)
    if user:  # who looked at a child's record is part of the record
        with db.transaction() as session:
            audit.record_now(session, audit.VIEWED, clock.now(), actor=user, child_id=child_id)
    return found


def _position(session, child: Child, user_id: int | None = None) -> Position:
    details = {"id": child.id, "reference": child.reference, "name": child.name,
               "date_of_birth": child.date_of_birth, "legal_status": child.legal_status,
               "looked_after_on": child.looked_after_on, "team": child.team.name,
               "social_worker": child.social_worker.display_name if child.social_worker else None,
               "allocated_on": child.allocated_on,
               # A10, E18: known before care (engine.before_care): the kind, and the date
               # the council was told or the child referred.
               "before_care": child.before_care, "known_on": child.known_on}
    # Plain statements of columns run on the session's connection (its transaction and
    # snapshot): the ORM's execution adds nothing to them but its cost.
    run = session.connection().execute
    instance = run(_LATEST_INSTANCE, {"child_id": child.id}).first()
    if instance is None:
        return Position(details, None, None, None, "not started", "", "", None, None, [], [], [], [])
    today = clock.today()
    every_task = run(_TASKS, {"child_id": child.id}).all()
    tasks = [t for t in every_task if t.instance_id == instance.id]
    deadlines = run(_DEADLINES, {"instance_id": instance.id}).all()
    # Where the child is now on the diagram, read from the stored state. Imported here so
    # that the task and deadline views below (`permanence tasks list`) need no SpiffWorkflow.
    from .specs import loaded_version
    from .state import active_elements
    loaded = loaded_version(session, instance.diagram_version_id)
    current = active_elements(instance.state, loaded.spec, loaded.subprocess_specs)
    return Position(
        details, instance.id, loaded.process_id, loaded.version, instance.status,
        instance.stage, instance.route, instance.error_message, instance.next_due_at,
        [task_view(t, today) for t in tasks if t.status == "open"],
        [deadline_view(d, today) for d in deadlines],
        current, sorted({t.bpmn_id for t in tasks if t.status == "completed"}),
        _listed(child, [t for t in every_task if t.status == "open"], today, user_id))


def _listed(child: Child, open_tasks: list, today: date, user_id: int | None) -> list[dict]:
    """The open tasks as `engine.views.child_open_tasks` lists them: the same keys, in the
    same order (those with no due date last, then by due date, then as created)."""
    from .views import due_this_week
    open_tasks.sort(key=lambda t: (t.due_on is None, t.due_on or date.min, t.id))
    worker = child.social_worker
    return [{"id": t.id, "task_id": t.task_id, "name": t.name, "lane": t.lane, "stage": t.stage,
             "due_on": t.due_on, "rule": t.rule, "due_reason": t.due_reason, "due_error": t.due_error,
             "child_id": child.id, "child_name": child.name, "child_reference": child.reference,
             "social_worker_id": child.social_worker_id,
             "social_worker": worker.display_name if worker else None,
             "overdue": is_overdue(t.due_on, today), "due_this_week": due_this_week(t.due_on, today),
             "allocated_to_me": user_id is not None and child.social_worker_id == user_id}
            for t in open_tasks[:_LISTED_LIMIT]]


#: Soonest due first, those with no due date last: said as NULLS LAST (not a sort on
#: `due_on IS NULL`), so that a list's first page walks a due-date index and stops at the page
#: (a team manager's 25 of the team's 1,500 open tasks: 0.7 ms instead of 5 on PostgreSQL).
OPEN_ORDER = (HumanTask.due_on.asc().nulls_last(), HumanTask.id)


def task_view(row: HumanTask, today: date) -> dict:
    return {"task_id": row.task_id, "name": row.name, "lane": row.lane, "stage": row.stage,
            "due_on": row.due_on, "rule": row.rule, "overdue": is_overdue(row.due_on, today),
            "due_error": row.due_error, "child_id": row.child_id, "status": row.status}


def deadline_view(row: Deadline, today: date) -> dict:
    status = row.status
    if status == "running" and is_overdue(row.due_on, today):
        status = "overdue"
    return {"label": row.label, "rule": row.rule, "due_on": row.due_on, "status": status,
            "met_on": row.met_on}


def is_overdue(due_on: date | None, today: date) -> bool:
    """Due on D is overdue from 00:00 Europe/London on D+1 (RULES.md, Counting)."""
    return due_on is not None and today > due_on
