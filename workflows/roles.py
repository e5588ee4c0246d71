"""Roles, and the lanes of the diagrams that name them.

A lane in a diagram is a role name: a user may complete a task only if they hold the role
its lane names. Some roles act for the children of their own team; others are
council-wide (independent reviewing, panel, decision making, legal, senior managers).
"""

SOCIAL_WORKER = "Social Worker"
TEAM_MANAGER = "Team Manager"
#: HAL §4, ToR (C7, C8): copied into panel invitations, attends if the social worker cannot,
#: and follows up the panel's actions. Team-scoped, like the Team Manager.
PRACTICE_LEAD = "Practice Lead"
IRO = "IRO"
PANEL_CHAIR = "Panel Chair"
PANEL_ADMINISTRATOR = "Panel Administrator"
ADM = "Agency Decision Maker"
LEGAL = "Legal"
SERVICE_MANAGER = "Service Manager"
HEAD_OF_SERVICE = "Head of Service"
SENIOR_MANAGER = "Senior Manager"
PROCESS_OWNER = "Process Owner"
ADMINISTRATOR = "Administrator"

#: Roles that may be lanes in a diagram (they do casework).
LANE_ROLES = (
    SOCIAL_WORKER, TEAM_MANAGER, PRACTICE_LEAD, IRO, PANEL_CHAIR, PANEL_ADMINISTRATOR, ADM, LEGAL,
    SERVICE_MANAGER, HEAD_OF_SERVICE, SENIOR_MANAGER,
)

#: Every role a user may hold.
ALL_ROLES = LANE_ROLES + (PROCESS_OWNER, ADMINISTRATOR)

#: Roles whose holders act only for the children of their own team.
TEAM_SCOPED_ROLES = frozenset({SOCIAL_WORKER, TEAM_MANAGER, PRACTICE_LEAD})


def is_lane_role(name: str | None) -> bool:
    return name in LANE_ROLES
