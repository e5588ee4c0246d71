"""Whose children a report covers, decided from the asking user as `engine.access` decides who
sees a child: a team manager their own team, service-wide managers and the panel every team.

Every report starts here, so no page can count or list a child its user may not see.
"""
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import FunctionElement

from models import Child, HumanTask, PathwayInstance, Team
from workflows.roles import (
    HEAD_OF_SERVICE, PANEL_ADMINISTRATOR, PANEL_CHAIR, SENIOR_MANAGER, SERVICE_MANAGER,
    TEAM_MANAGER, TEAM_SCOPED_ROLES,
)

from ..access import COUNCIL_WIDE_ROLES
from ..errors import NotAllowed
from ..users import user_by_name

#: Who may open the dashboard, the children list and the tracker.
DASHBOARD_ROLES = frozenset({TEAM_MANAGER, SERVICE_MANAGER, HEAD_OF_SERVICE, SENIOR_MANAGER})
#: Who may open the Permanence Panel page (BCP: the chair, the administrator, senior managers).
PANEL_ROLES = frozenset({PANEL_CHAIR, PANEL_ADMINISTRATOR, SERVICE_MANAGER, HEAD_OF_SERVICE})

#: A pathway still running for the child (not closed because permanence was achieved and
#: the child left care).
COMPLETED = "completed"


@dataclass(frozen=True)
class Scope:
    team_id: int | None        # None: every team
    team_name: str | None
    roles: frozenset[str]

    @property
    def every_team(self) -> bool:
        return self.team_id is None

    def children(self, query, child=Child):
        """Narrow a query that has `child` in it to the children in scope."""
        return query if self.team_id is None else query.where(child.team_id == self.team_id)

    def tasks(self, query):
        """Narrow a query over tasks (with their children, narrowed as above) by the team each
        task keeps too: the database then reads the team's tasks from their index."""
        return query if self.team_id is None else query.where(HumanTask.team_id == self.team_id)

    def teams(self, session: Session) -> list[tuple[int, str]]:
        if self.team_id is not None and self.team_name is not None:
            return [(self.team_id, self.team_name)]   # read with the user: no query again
        if self.team_id is None:
            rows = session.connection().execute(_ALL_TEAMS)
        else:
            rows = session.connection().execute(_ONE_TEAM, {"team_id": self.team_id})
        return [tuple(row) for row in rows.all()]


#: The teams a scope covers, by name (built once: every dashboard and report reads them).
_ALL_TEAMS = select(Team.id, Team.name).order_by(Team.name)
_ONE_TEAM = _ALL_TEAMS.where(Team.id == bindparam("team_id"))


class Asker(Protocol):
    """The signed-in user as the request read them (web.identity.Staff): active, with the
    roles and team they have now."""
    roles: frozenset[str]
    team_id: int | None
    team_name: str | None


def scope_for(session: Session, user: "str | Asker", allowed: frozenset[str]) -> Scope:
    """The user's scope for a report `allowed` roles may see; NotAllowed for anyone else.
    `user` is a username, looked up here, or the user a page's request has just read (in
    the same snapshot: web.snapshot), which saves reading them again."""
    if isinstance(user, str):
        found = user_by_name(session, user)
        return _scope(found.roles, found.team_id, lambda: found.team.name if found.team else None,
                      allowed)
    return _scope(user.roles, user.team_id, lambda: user.team_name, allowed)


def _scope(roles: frozenset[str], team_id: int | None, team_name, allowed: frozenset[str]) -> Scope:
    if not roles & allowed:
        raise NotAllowed("Your role does not give you access to this report")
    if roles & COUNCIL_WIDE_ROLES:
        return Scope(None, None, roles)
    if roles & TEAM_SCOPED_ROLES and team_id is not None:
        return Scope(team_id, team_name(), roles)
    raise NotAllowed("You are not in a team, so there are no children to report on")


def running(instance=PathwayInstance):
    """The pathway is still running (active, or stopped with a problem to be fixed)."""
    return instance.status != COMPLETED


def looked_after(child=Child):
    """A10, E18: the child is looked after, not known before care (engine.before_care)."""
    return child.before_care.is_(None)


def current_instance(child_id_column, instance=PathwayInstance):
    """`instance` is the child's latest pathway (a child who came back into care has an
    older, completed one too)."""
    newer = aliased(PathwayInstance)
    latest = select(func.max(newer.id)).where(newer.child_id == instance.child_id).scalar_subquery()
    return and_(instance.child_id == child_id_column, same_row(instance.id, latest))


class unindexed(FunctionElement):  # noqa: N801
    """A column SQLite should compare, not look rows up by: `pathway_instance.id + 0`.

    SQLite keeps the rowid in every index, so the comparison is checked in the index it is
    already reading; looking the row up by id would read the pathway row, whose workflow state
    comes before the columns wanted. PostgreSQL plans it well as it is."""
    inherit_cache = True
    name = "unindexed"

    @property
    def type(self):
        return self.clauses.clauses[0].type


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element, compiler, **kw):
    return f"({compiler.process(element.clauses.clauses[0], **kw)} + 0)"


@compiles(unindexed)
def _unindexed(element, compiler, **kw):
    return compiler.process(element.clauses.clauses[0], **kw)


class not_looked_up(unindexed):  # noqa: N801
    """A column of any type SQLite should compare, not look rows up by: `+column` (the
    unary plus, which keeps the value and disqualifies the index)."""
    inherit_cache = True
    name = "not_looked_up"


@compiles(not_looked_up, "sqlite")
def _not_looked_up_sqlite(element, compiler, **kw):
    return f"+{compiler.process(element.clauses.clauses[0], **kw)}"


@compiles(not_looked_up)
def _not_looked_up(element, compiler, **kw):
    return compiler.process(element.clauses.clauses[0], **kw)


def same_row(instance_id_column, row_instance_id_column):
    """instance.id = row.instance_id, checked in an index on SQLite (see `unindexed`)."""
    return unindexed(instance_id_column) == row_instance_id_column


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def last_day_aged(day: date, age: int) -> date:
    """Children born after the returned date are `age` or under on `day` (age_on's rule:
    a 29 February birthday falls on 1 March in other years)."""
    return years_before(day, age + 1)
