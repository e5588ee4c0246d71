"""Administering staff accounts and teams: who may sign in, with which roles, in which team.

Every change is checked here once, for the administration pages and the `permanence user` /
`permanence team` commands alike, and audited in the same transaction. A disabled account
stops working at once: every request loads its user afresh and refuses an inactive one.
Accounts are never deleted, so the audit trail always names who did what.
"""
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import generate_password_hash

from models import Database, Team, User, UserRole
from workflows import roles as R

from . import audit, clock
from .errors import FormInvalid, NotFound

STAFF_CHANGED = "staff_changed"
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
MIN_PASSWORD = 12


@dataclass(frozen=True)
class StaffMember:
    username: str
    display_name: str
    roles: tuple[str, ...]
    team: str | None
    active: bool
    can_sign_in_locally: bool
    #: Linked to the council's OpenID Connect provider: its groups set the roles and team
    #: at each sign-in (engine/single_sign_on.py).
    single_sign_on: bool = False


def list_users(db: Database) -> list[StaffMember]:
    with db.transaction() as session:
        users = session.scalars(select(User).options(joinedload(User.team))
                                .order_by(User.display_name, User.username)).unique()
        return [_member(u) for u in users]


def get_user(db: Database, username: str) -> StaffMember:
    with db.transaction() as session:
        return _member(_user(session, username))


def list_teams(db: Database) -> list[dict]:
    with db.transaction() as session:
        members = dict(session.execute(select(User.team_id, func.count()).where(User.active)
                                       .group_by(User.team_id)).all())
        return [{"name": t.name, "members": members.get(t.id, 0)}
                for t in session.scalars(select(Team).order_by(Team.name))]


def add_team(db: Database, name: str, actor: str | None) -> None:
    name = (name or "").strip()
    with db.transaction() as session:
        if not name or len(name) > 120:
            raise FormInvalid({"name": ["Enter the team's name, in 120 characters or fewer"]},
                              {"name": name})
        if session.scalar(select(Team).where(func.lower(Team.name) == name.lower())):
            raise FormInvalid({"name": [f"There is already a team called {name}"]}, {"name": name})
        session.add(Team(name=name))
        _audit(session, actor, "team added", team=name)


def add_user(db: Database, actor: str | None, *, username: str, display_name: str,
             roles: list[str], team: str | None = None, password: str | None = None) -> None:
    data = {"username": username, "display_name": display_name, "roles": roles, "team": team}
    username, display_name = (username or "").strip().lower(), (display_name or "").strip()
    with db.transaction() as session:
        errors = {}
        if not USERNAME.fullmatch(username):
            errors["username"] = ["Enter a sign-in name of 2 to 80 lower-case letters, digits, "
                                  "dots, hyphens or underscores, like asha.patel"]
        elif session.scalar(select(User).where(User.username == username)):
            errors["username"] = [f"There is already an account called {username}"]
        if not display_name or len(display_name) > 120:
            errors["display_name"] = ["Enter the person's full name, in 120 characters or fewer"]
        found_team = _check_roles_and_team(session, roles, team, errors)
        if password:
            _check_password(password, errors)
        if errors:
            raise FormInvalid(errors, data)
        session.add(User(username=username, display_name=display_name, active=True,
                         team_id=found_team.id if found_team else None,
                         password_hash=generate_password_hash(password) if password else None,
                         role_rows=[UserRole(role=r) for r in dict.fromkeys(roles)]))
        _audit(session, actor, "user added", username=username, roles=sorted(set(roles)),
               team=found_team.name if found_team else None)


def set_roles(db: Database, actor: str | None, username: str, roles: list[str],
              team: str | None) -> None:
    with db.transaction() as session:
        user = _user(session, username)
        errors = {}
        found_team = _check_roles_and_team(session, roles, team, errors)
        if R.ADMINISTRATOR not in roles and R.ADMINISTRATOR in user.roles:
            _keep_an_administrator(session, user, errors, "roles")
        if errors:
            raise FormInvalid(errors, {"roles": roles, "team": team})
        before = (sorted(user.roles), user.team.name if user.team else None)
        user.role_rows = [UserRole(role=r) for r in dict.fromkeys(roles)]
        user.team_id = found_team.id if found_team else None
        _audit(session, actor, "roles changed", username=user.username,
               roles_before=before[0], team_before=before[1],
               roles=sorted(set(roles)), team=found_team.name if found_team else None)


def set_active(db: Database, actor: str | None, username: str, active: bool) -> None:
    with db.transaction() as session:
        user = _user(session, username)
        if user.active == active:
            return
        errors = {}
        if not active:
            if actor and actor == user.username:
                errors["active"] = ["You cannot disable your own account"]
            elif R.ADMINISTRATOR in user.roles:
                _keep_an_administrator(session, user, errors, "active")
        if errors:
            raise FormInvalid(errors, {"active": active})
        user.active = active
        _audit(session, actor, "user enabled" if active else "user disabled", username=user.username)


def set_password(db: Database, actor: str | None, username: str, password: str) -> None:
    with db.transaction() as session:
        user = _user(session, username)
        errors = {}
        _check_password(password, errors)
        if errors:
            raise FormInvalid(errors, {})
        user.password_hash = generate_password_hash(password)
        _audit(session, actor, "password set", username=user.username)


def _check_roles_and_team(session: Session, roles: list[str], team: str | None, errors: dict):
    unknown = [r for r in roles if r not in R.ALL_ROLES]
    if not roles:
        errors["roles"] = ["Select at least one role"]
    elif unknown:
        errors["roles"] = [f"There is no role called {', '.join(unknown)} (roles: "
                           f"{', '.join(R.ALL_ROLES)})"]
    found = None
    if team:
        found = session.scalar(select(Team).where(func.lower(Team.name) == team.strip().lower()))
        if found is None:
            errors["team"] = [f"There is no team called {team}: add it first"]
    elif set(roles) & R.TEAM_SCOPED_ROLES:
        errors["team"] = ["Select a team: social workers and team managers (and Practice Leads) act for their "
                          "team's children"]
    return found


def _check_password(password: str, errors: dict) -> None:
    if len(password or "") < MIN_PASSWORD:
        errors["password"] = [f"Enter a password of at least {MIN_PASSWORD} characters"]


def _keep_an_administrator(session: Session, user: User, errors: dict, field: str) -> None:
    others = session.scalar(
        select(func.count()).select_from(User).join(UserRole)
        .where(UserRole.role == R.ADMINISTRATOR, User.active, User.id != user.id))
    if not others:
        errors[field] = [f"{user.display_name} is the only active administrator: "
                         "make someone else an administrator first"]


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).options(joinedload(User.team))
                          .where(User.username == (username or "").strip().lower()))
    if user is None:
        raise NotFound(f"There is no account called {username}")
    return user


def _member(user: User) -> StaffMember:
    return StaffMember(user.username, user.display_name, tuple(sorted(user.roles)),
                       user.team.name if user.team else None, user.active,
                       bool(user.password_hash), user.external_id is not None)


def _audit(session: Session, actor: str | None, change: str, **detail) -> None:
    by = session.scalar(select(User).where(User.username == actor)) if actor else None
    audit.record(session, STAFF_CHANGED, clock.now(), actor=by, change=change,
                 via="page" if by else "command line", **detail)
