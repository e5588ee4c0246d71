"""Who may see and act for which child: checked by the engine on every operation, so no
page, API call or command can skip it.

Social workers and team managers act for the children of their own team. Independent
reviewing officers, panel, decision-making, legal and senior roles work across the council.
Process owners edit diagrams and see no children; administrators see all (to fix errors).
"""
from models import Child, User
from workflows.roles import (ADMINISTRATOR, HEAD_OF_SERVICE, LANE_ROLES, SERVICE_MANAGER, TEAM_MANAGER,
                            TEAM_SCOPED_ROLES)

COUNCIL_WIDE_ROLES = frozenset(LANE_ROLES) - TEAM_SCOPED_ROLES


def may_see_child(user: User, child: Child) -> bool:
    roles = user.roles
    if not user.active:
        return False
    if ADMINISTRATOR in roles or roles & COUNCIL_WIDE_ROLES:
        return True
    return bool(roles & TEAM_SCOPED_ROLES) and user.team_id == child.team_id


def may_act_on_child(user: User, child: Child) -> bool:
    """Acting needs a casework role as well as sight of the child."""
    return may_see_child(user, child) and bool(user.roles & frozenset(LANE_ROLES))


def may_complete_lane(user: User, lane: str) -> bool:
    return lane in user.roles


def may_complete(user: User, task) -> bool:
    """A task's lane's holders, or the member of staff it is assigned to by name (the owner
    of a panel action, whatever their role: P6)."""
    return task.lane in user.roles or (task.assignee_id is not None and task.assignee_id == user.id
                                       and bool(user.roles & frozenset(LANE_ROLES)))


def may_record_history(user: User) -> bool:
    """Bringing an existing child on (the import) records the tasks their tracker says were
    done, in every lane: only an active administrator may, and only through the import."""
    return user.active and ADMINISTRATOR in user.roles


def may_see_action(user: User, action) -> bool:
    """A PPM action (engine.ppm_actions) is seen by its owner, who may work in another team
    (a fostering or adoption practitioner), by the team manager it was escalated to, and by
    whoever may see the child. The owner sees the action, not the rest of the child's file."""
    if not user.active:
        return False
    return (action.owner_id == user.id or may_see_child(user, action.child)
            or may_handle_escalation(user, action))


def may_complete_action(user: User, action) -> bool:
    """The owner marks it done, or the child's own casework staff on their behalf."""
    return user.active and (action.owner_id == user.id or (
        may_act_on_child(user, action.child) and bool(user.roles & TEAM_SCOPED_ROLES)))


def may_handle_escalation(user: User, action) -> bool:
    """A missed action goes to the team manager of the owner's team; service-wide managers
    may answer it too."""
    if not user.active or action.escalated_at is None:
        return False
    if user.roles & {SERVICE_MANAGER, HEAD_OF_SERVICE}:
        return True
    return TEAM_MANAGER in user.roles and user.team_id == action.escalated_to_team_id
