"""Reallocation: a team manager (or a service-wide manager) gives a child another social
worker or moves them to another team, from a date and for a reason. The child's open Social
Worker tasks follow them to the new worker (`human_task.assignee_id`); tasks that open later
go to the new worker as well (projections read the child's worker). The change is audited,
so it shows in the child's timeline and the audit trail.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select, update

from models import Child, Database, HumanTask, Team, User
from workflows.roles import (
    HEAD_OF_SERVICE, SENIOR_MANAGER, SERVICE_MANAGER, SOCIAL_WORKER, TEAM_MANAGER,
)

from . import audit, clock
from . import figures  # noqa: F401  (its session events keep the dashboards' running figures)
from .access import may_act_on_child, may_see_child
from .errors import FormInvalid, NotAllowed, NotFound
from .users import active_staff, is_service_user, user_by_name

#: Who may reallocate: the child's team manager, and managers over every team.
REALLOCATING_ROLES = frozenset({TEAM_MANAGER, SERVICE_MANAGER, HEAD_OF_SERVICE, SENIOR_MANAGER})
REASON_LIMIT = 1000


@dataclass(frozen=True)
class Reallocation:
    child_id: int
    worker: str | None
    team: str
    tasks_moved: int


def _child_for(session, child_id: int, user: User) -> Child:
    child = session.get(Child, child_id)
    if child is None or not may_see_child(user, child):
        raise NotFound(f"There is no child {child_id} that you can see")
    if not user.roles & REALLOCATING_ROLES or not may_act_on_child(user, child):
        raise NotAllowed("Only a team manager can change a child's social worker or team")
    return child


def allocation_choices(db: Database, child_id: int, username: str) -> dict:
    """The child as allocated now, and the teams and active social workers to choose from."""
    with db.transaction() as session:
        child = _child_for(session, child_id, user_by_name(session, username))
        teams = session.scalars(select(Team).order_by(Team.name)).all()
        workers = [w for w in session.scalars(active_staff()).unique() if SOCIAL_WORKER in w.roles]
        names = {t.id: t.name for t in teams}
        return {"child": {"id": child.id, "name": child.name, "reference": child.reference,
                          "team": names[child.team_id],
                          "social_worker": child.social_worker.username if child.social_worker else "",
                          "social_worker_name": child.social_worker.display_name if child.social_worker else None,
                          "allocated_on": child.allocated_on},
                "teams": [t.name for t in teams],
                "social_workers": [{"username": w.username, "name": w.display_name,
                                    "team": names.get(w.team_id, "")} for w in workers]}


def _checked(session, child: Child, team_name: str, worker_name: str, on, reason: str):
    errors: dict[str, list[str]] = {}
    team = session.scalar(select(Team).where(Team.name == team_name)) if team_name else None
    if team is None:
        errors["team"] = ["Select the team"]
    worker = None
    if not worker_name:
        errors["social_worker"] = ["Select the social worker"]
    else:
        worker = session.scalars(select(User).where(User.username == worker_name)).unique().first()
        if (worker is None or not worker.active or SOCIAL_WORKER not in worker.roles
                or is_service_user(session, worker)):
            errors["social_worker"] = ["Select a social worker who is working now"]
        elif team is not None and worker.team_id != team.id:
            errors["social_worker"] = [f"Select a social worker in {team.name}: "
                                       f"{worker.display_name} is not in that team"]
    if not isinstance(on, date):
        errors["on"] = ["Enter the date the change takes effect"]
    elif on > clock.today():
        errors["on"] = ["The date the change takes effect must be today or in the past"]
    elif on < child.looked_after_on:
        errors["on"] = ["The date the change takes effect must be on or after the date "
                        "the child became looked after"]
    if not reason.strip():
        errors["reason"] = ["Enter the reason for the change"]
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = [f"The reason must be {REASON_LIMIT} characters or fewer"]
    if not errors and team.id == child.team_id and worker.id == child.social_worker_id:
        errors["social_worker"] = ["Select a different social worker or team: "
                                   "this is who the child is allocated to now"]
    return team, worker, errors


def reallocate(db: Database, child_id: int, username: str, *, team: str, social_worker: str,
               on, reason: str) -> Reallocation:
    """Change the child's social worker and team; their open Social Worker tasks follow.
    FormInvalid with every problem at once; nothing is written unless all is well."""
    now = clock.now()
    with db.transaction() as session:
        user = user_by_name(session, username)
        child = _child_for(session, child_id, user)
        new_team, worker, errors = _checked(session, child, team, social_worker, on, reason)
        if errors:
            raise FormInvalid(errors, {"team": team, "social_worker": social_worker,
                                       "reason": reason})
        before_worker = child.social_worker.display_name if child.social_worker else None
        before_team = child.team.name
        moved = session.execute(
            update(HumanTask).where(HumanTask.child_id == child.id, HumanTask.status == "open",
                                    HumanTask.lane == SOCIAL_WORKER,
                                    # a task named for someone else (a panel action's owner) stays theirs
                                    or_(HumanTask.assignee_id.is_(None),
                                        HumanTask.assignee_id == child.social_worker_id))
            .values(assignee_id=worker.id)).rowcount
        if new_team.id != child.team_id:   # every task keeps the child's team with it
            session.execute(update(HumanTask).where(HumanTask.child_id == child.id)
                            .values(team_id=new_team.id))
        child.team_id, child.social_worker_id, child.allocated_on = new_team.id, worker.id, on
        audit.record(session, audit.REALLOCATED, now, actor=user, child_id=child.id,
                     from_worker=before_worker, to_worker=worker.display_name,
                     from_team=before_team, to_team=new_team.name, on=on.isoformat(),
                     reason=reason.strip(), tasks_moved=moved)
        return Reallocation(child.id, worker.display_name, new_team.name, moved)
