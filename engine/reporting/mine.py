""""My children": which children a practitioner works with, for the children list every
casework role opens (managers see their scope; the others their own children first).

A social worker's children are those allocated to them; an IRO's those they review (any
task in their lanes, open or done); an ADM's, a lawyer's or the panel's those with work open
for them. Searching looks across every child the user may see (`engine.access`).
"""
from sqlalchemy import exists, or_

from models import Child, HumanTask, User
from workflows.roles import ADMINISTRATOR, IRO, LANE_ROLES, SOCIAL_WORKER, TEAM_SCOPED_ROLES

from ..access import COUNCIL_WIDE_ROLES
from ..errors import NotAllowed
from .scope import DASHBOARD_ROLES, Scope

#: Who may open the children list: every casework role, and administrators.
CHILD_LIST_ROLES = frozenset(LANE_ROLES) | {ADMINISTRATOR}
#: Roles whose "own" children are those they have ever had a task for, not only open ones.
REVIEWING_ROLES = frozenset({IRO})


def child_scope(user: User) -> Scope:
    """Every child the user may see, as `engine.access.may_see_child` decides."""
    roles = user.roles
    if not roles & CHILD_LIST_ROLES:
        raise NotAllowed("Your role does not work with children")
    if roles & COUNCIL_WIDE_ROLES or ADMINISTRATOR in roles:
        return Scope(None, None, roles)
    if roles & TEAM_SCOPED_ROLES and user.team_id is not None:
        return Scope(user.team_id, user.team.name if user.team else None, roles)
    raise NotAllowed("You are not in a team, so there are no children to list")


def sees_all_by_default(user: User) -> bool:
    """Managers and administrators work with every child in their scope."""
    return bool(user.roles & (DASHBOARD_ROLES | {ADMINISTRATOR}))


def mine(user: User) -> tuple:
    """Conditions on Child for the user's own children (empty: all in scope are theirs)."""
    if sees_all_by_default(user):
        return ()
    either = []
    if SOCIAL_WORKER in user.roles:
        either.append(Child.social_worker_id == user.id)
        either.append(exists().where(HumanTask.child_id == Child.id, HumanTask.status == "open",
                                     HumanTask.assignee_id == user.id))
    reviewing = sorted(user.roles & REVIEWING_ROLES)
    if reviewing:
        either.append(exists().where(HumanTask.child_id == Child.id,
                                     HumanTask.lane.in_(reviewing)))
    open_work = sorted(user.roles & frozenset(LANE_ROLES) - REVIEWING_ROLES - {SOCIAL_WORKER})
    if open_work:
        either.append(exists().where(HumanTask.child_id == Child.id, HumanTask.status == "open",
                                     HumanTask.lane.in_(open_work)))
    return (or_(*either),)


def heading(user: User) -> str:
    """What the user's own children are, in words."""
    if sees_all_by_default(user):
        return "My team's children" if user.roles & TEAM_SCOPED_ROLES else "Children"
    if SOCIAL_WORKER in user.roles:
        return "Children allocated to me"
    if user.roles & REVIEWING_ROLES:
        return "Children I review"
    return "Children with work for me"
