"""What the API reads and changes for other systems, one page at a time.

Every function takes the asking (service) user's name and the token's teams (None: every
team) and applies `engine.access` in SQL exactly as `may_see_child` decides it, then narrows
to the teams. A child or task out of sight is NotFound, in the same words as one that does
not exist. Pages are cursor-paged on ids (or the tracker's reference), so a system walking a
council's caseload never skips or repeats a row while others change it.
"""
from sqlalchemy import and_, false, select, true
from sqlalchemy.orm import Session, joinedload

from models import Child, Database, HumanTask, OutboxEvent, Team, User
from workflows.roles import ADMINISTRATOR, SOCIAL_WORKER, TEAM_SCOPED_ROLES

from .form_choices import filled
from . import audit, clock, outbox
from .access import COUNCIL_WIDE_ROLES, may_act_on_child, may_see_child
from .errors import FormInvalid, NotAllowed, NotFound
from .position import task_view
from .reporting.scope import DASHBOARD_ROLES, scope_for
from .reporting.tracker import _batch
from .specs import loaded_version
from .users import user_by_name
from .views import child_details

CHILD_UPDATED = "child_updated"


def _visible(user: User, team_ids, team_column=Child.team_id):
    """`may_see_child`, as a condition on a team column, narrowed to the token's teams."""
    if not user.active:
        return false()
    if ADMINISTRATOR in user.roles or user.roles & COUNCIL_WIDE_ROLES:
        seen = true()
    elif user.roles & TEAM_SCOPED_ROLES and user.team_id is not None:
        seen = team_column == user.team_id
    else:
        return false()
    if team_ids is not None:
        seen = and_(seen, team_column.in_(sorted(team_ids)))
    return seen


def _child(session: Session, user: User, child_id: int, team_ids) -> Child:
    child = session.get(Child, child_id)
    if child is None or not may_see_child(user, child) or (
            team_ids is not None and child.team_id not in team_ids):
        raise NotFound(f"There is no child {child_id} that you can see")
    return child


def children_page(db: Database, username: str, team_ids, after: int = 0, limit: int = 50):
    with db.transaction() as session:
        user = user_by_name(session, username)
        query = (select(Child).options(joinedload(Child.team), joinedload(Child.social_worker))
                 .where(_visible(user, team_ids), Child.id > after)
                 .order_by(Child.id).limit(limit + 1))
        rows = list(session.scalars(query).unique())
        items = [_child_item(session, c) for c in rows[:limit]]
        return items, (rows[limit - 1].id if len(rows) > limit else None)


def _child_item(session: Session, child: Child) -> dict:
    item = child_details(child)
    item["social_worker_username"] = child.social_worker.username if child.social_worker else None
    item["created_at"] = child.created_at
    return item


def child(db: Database, child_id: int, username: str, team_ids) -> dict:
    with db.transaction() as session:
        user = user_by_name(session, username)
        found = _child(session, user, child_id, team_ids)
        audit.record(session, audit.VIEWED, clock.now(), actor=user, child_id=found.id, via="api")
        return _child_item(session, found)


def check_child(db: Database, child_id: int, username: str, team_ids) -> None:
    """NotFound unless the token may see the child (before an engine call that cannot know
    the token's teams)."""
    with db.transaction() as session:
        _child(session, user_by_name(session, username), child_id, team_ids)


def check_team(db: Database, team: str, team_ids) -> None:
    """A child may be registered only into one of the token's teams."""
    if team_ids is None:
        return
    with db.transaction() as session:
        found = session.scalar(select(Team.id).where(Team.name == str(team or "")))
        if found is not None and found not in team_ids:
            raise FormInvalid({"team": [f"This token may not register children in {team}"]},
                              {"team": team})


def update_child(db: Database, child_id: int, changes: dict, username: str, team_ids) -> dict:
    """The details that are safe to change on a running pathway: the name, and who the
    allocated social worker is (their open social-worker tasks follow them). Dates and legal
    status drive the statutory clocks and change only through the pathway."""
    with db.transaction() as session:
        user = user_by_name(session, username)
        found = _child(session, user, child_id, team_ids)
        if not may_act_on_child(user, found):
            raise NotAllowed(f"You cannot change {found.name}'s details")
        errors, before = {}, {}
        if "name" in changes:
            name = str(changes["name"] or "").strip()
            if not name or len(name) > 200:
                errors["name"] = ["Enter the child's name, in 200 characters or fewer"]
            elif name != found.name:
                before["name"], found.name = found.name, name
        if "social_worker" in changes:
            _allocate(session, found, changes["social_worker"], errors, before)
        if errors:
            raise FormInvalid(errors, changes)
        if before:
            now = clock.now()
            audit.record(session, CHILD_UPDATED, now, actor=user, child_id=found.id,
                         changed=sorted(before), via="api")
            outbox.record(session, outbox.CHILD_UPDATED, now, child=found, changed=sorted(before),
                          social_worker=found.social_worker.username if found.social_worker else None)
        session.flush()
        return _child_item(session, found)


def _allocate(session: Session, child: Child, worker_name, errors: dict, before: dict) -> None:
    worker = None
    if worker_name:
        worker = session.scalar(select(User).where(User.username == str(worker_name)))
        if worker is None or not worker.active or SOCIAL_WORKER not in worker.roles:
            errors["social_worker"] = [f"'{worker_name}' is not an active social worker"]
            return
        if worker.team_id != child.team_id:
            errors["social_worker"] = [f"'{worker_name}' is not in {child.team.name}"]
            return
    if (worker.id if worker else None) == child.social_worker_id:
        return
    before["social_worker"] = child.social_worker_id
    child.social_worker = worker
    for task in session.scalars(select(HumanTask).where(
            HumanTask.child_id == child.id, HumanTask.status == "open",
            HumanTask.lane == SOCIAL_WORKER)):
        if task.assignee_id is None or task.assignee_id == before["social_worker"]:
            task.assignee_id = worker.id if worker else None


def tasks_page(db: Database, username: str, team_ids, after: int = 0, limit: int = 50,
               status: str | None = "open", child_id: int | None = None):
    with db.transaction() as session:
        user = user_by_name(session, username)
        query = (select(HumanTask, Child.reference).join(Child, Child.id == HumanTask.child_id)
                 .where(_visible(user, team_ids), HumanTask.id > after))
        if status:
            query = query.where(HumanTask.status == status)
        if child_id is not None:
            query = query.where(HumanTask.child_id == child_id)
        rows = session.execute(query.order_by(HumanTask.id).limit(limit + 1)).all()
        today = clock.today()
        items = [_task_item(task, reference, today) for task, reference in rows[:limit]]
        return items, (rows[limit - 1][0].id if len(rows) > limit else None)


def _task_item(task: HumanTask, reference: str, today) -> dict:
    item = task_view(task, today)
    item.update(child_reference=reference, due_reason=task.due_reason,
                instructions=task.instructions, created_at=task.created_at,
                completed_at=task.completed_at)
    return item


def task(db: Database, task_id: str, username: str, team_ids) -> tuple[dict, object]:
    """A task with its form (a `FormDefinition`, or None), for any task the user may see."""
    with db.transaction() as session:
        user = user_by_name(session, username)
        row = session.scalar(select(HumanTask).where(HumanTask.task_id == task_id)
                             .options(joinedload(HumanTask.instance)))
        _task_child(session, user, row.child_id if row else None, task_id, team_ids)
        reference = row.instance.child.reference
        form = None
        if row.form:
            form = filled(session, loaded_version(session, row.instance.diagram_version_id).forms.get(row.form))
        return _task_item(row, reference, clock.today()), form


def check_task(db: Database, task_id: str, username: str, team_ids) -> None:
    with db.transaction() as session:
        user = user_by_name(session, username)
        child_id = session.scalar(select(HumanTask.child_id).where(HumanTask.task_id == task_id))
        _task_child(session, user, child_id, task_id, team_ids)


def _task_child(session: Session, user: User, child_id: int | None, task_id: str, team_ids):
    """A task out of sight is not found in the task's words, never naming its child."""
    try:
        if child_id is None:
            raise NotFound(task_id)
        _child(session, user, child_id, team_ids)
    except NotFound:
        raise NotFound(f"There is no task {task_id} that you can see") from None


def events_page(db: Database, username: str, team_ids, after: int = 0, limit: int = 100):
    """The outbox, oldest first after `after`, as far as the user may see the children."""
    with db.transaction() as session:
        user = user_by_name(session, username)
        query = (select(OutboxEvent).where(OutboxEvent.id > after,
                                           _visible(user, team_ids, OutboxEvent.team_id))
                 .order_by(OutboxEvent.id).limit(limit + 1))
        rows = list(session.scalars(query))
        items = [{"id": e.id, "kind": e.kind, "occurred_at": e.occurred_at,
                  "child_id": e.child_id, "instance_id": e.instance_id, "payload": e.payload}
                 for e in rows[:limit]]
        return items, (rows[limit - 1].id if len(rows) > limit else None)


class _TokenScope:
    """A reporting scope narrowed to a token's teams."""

    def __init__(self, scope, team_ids):
        self.scope, self.team_ids = scope, team_ids

    def children(self, query, child=Child):
        query = self.scope.children(query, child)
        return query if self.team_ids is None else query.where(child.team_id.in_(sorted(self.team_ids)))


def tracker_page(db: Database, username: str, team_ids, after: str = "", limit: int = 100):
    """The permanence tracker's rows (as the managers' download), by reference."""
    with db.transaction() as session:
        scope = _TokenScope(scope_for(session, username, DASHBOARD_ROLES), team_ids)
        rows = _batch(session, scope, after, clock.today(), limit + 1)
        return rows[:limit], (rows[limit - 1]["reference"] if len(rows) > limit else None)

