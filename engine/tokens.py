"""API tokens: a case-management system's key, issued by an administrator, kept only as a
hash, narrowed to scopes and teams, revocable, audited.

A token acts as its own service user (`api.<name>`, no password, so it cannot sign in), whose
roles `engine.access` applies exactly as it does to a person: a token holding the Social
Worker role for North sees North's children and completes social workers' tasks. Its teams
narrow that further (the API applies them in every query), and its scopes say which parts
of the API it may use. Disabling the service user, or revoking the token, stops it at once.
"""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from models import ApiToken, Database, Team, User, UserRole
from workflows import roles as R

from . import audit, clock
from .errors import FormInvalid, NotFound

TOKEN_ISSUED, TOKEN_REVOKED, TOKEN_USED = "token_issued", "token_revoked", "token_used"
SCOPES = ("children:read", "children:write", "tasks:read", "tasks:write", "events:read",
          "tracker:read", "records:read")
PREFIX = "pp_"
NAME = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")
#: `last_used_at` is written at most this often: a feed polled every second is not a write
#: every second. Each day's first use is also put in the audit trail.
USE_GRANULARITY = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenInfo:
    """What a request learns from its token, detached from the session."""
    id: int
    name: str
    username: str
    scopes: frozenset[str]
    team_ids: frozenset[int] | None      # None: every team
    roles: tuple[str, ...] = ()
    teams: tuple[str, ...] | None = None
    created_by: str = ""
    created_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    prefix: str = ""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(db: Database, actor: str | None, *, name: str, roles: list[str], scopes: list[str],
          teams: list[str] | None) -> tuple[str, TokenInfo]:
    """A new token, returned once (only its hash is stored), with its service user."""
    name = (name or "").strip().lower()
    data = {"name": name, "roles": roles, "scopes": scopes, "teams": teams}
    with db.transaction() as session:
        errors: dict[str, list[str]] = {}
        if not NAME.fullmatch(name):
            errors["name"] = ["Enter the system's name: 2 to 40 lower-case letters, digits or "
                              "hyphens, like mosaic"]
        elif session.scalar(select(ApiToken.id).where(ApiToken.name == name)) or \
                session.scalar(select(User.id).where(User.username == f"api.{name}")):
            errors["name"] = [f"There is already a token called {name}: revoke it and choose "
                              "another name"]
        unknown = [s for s in scopes if s not in SCOPES]
        if not scopes or unknown:
            errors["scopes"] = [f"Choose scopes from: {', '.join(SCOPES)}"
                                + (f" (not {', '.join(unknown)})" if unknown else "")]
        bad_roles = [r for r in roles if r not in R.LANE_ROLES]
        if not roles or bad_roles:
            errors["roles"] = ["Choose the casework roles the system acts with: "
                               + ", ".join(R.LANE_ROLES)]
        team_rows = _teams(session, teams, errors)
        if set(roles) & R.TEAM_SCOPED_ROLES and (team_rows is None or len(team_rows) != 1):
            errors.setdefault("teams", []).append(
                "A token with the Social Worker or Team Manager role acts for one team: choose "
                "exactly one")
        if errors:
            raise FormInvalid(errors, data)
        team_id = team_rows[0].id if team_rows and len(team_rows) == 1 else None
        user = User(username=f"api.{name}", display_name=f"{name} (API)", active=True,
                    password_hash=None, team_id=team_id,
                    role_rows=[UserRole(role=r) for r in dict.fromkeys(roles)])
        session.add(user)
        session.flush()
        token = PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(name=name, token_hash=hash_token(token), prefix=token[:10],
                       user_id=user.id, scopes=" ".join(s for s in SCOPES if s in scopes),
                       teams=None if team_rows is None else sorted(t.id for t in team_rows),
                       created_by=actor or "command line", created_at=clock.now())
        session.add(row)
        session.flush()
        _audit(session, actor, TOKEN_ISSUED, token=name, roles=sorted(set(roles)),
               scopes=row.scopes, teams=None if team_rows is None else [t.name for t in team_rows])
        return token, _info(session, row)


def _teams(session: Session, names: list[str] | None, errors: dict) -> list[Team] | None:
    if names is None:
        return None
    if not names:
        errors["teams"] = ["Choose the teams the token may see, or every team"]
        return []
    found = {t.name.lower(): t for t in session.scalars(select(Team))}
    missing = [n for n in names if n.strip().lower() not in found]
    if missing:
        errors["teams"] = [f"There is no team called {', '.join(missing)}"]
    return [found[n.strip().lower()] for n in names if n.strip().lower() in found]


def revoke(db: Database, actor: str | None, name: str) -> None:
    with db.transaction() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.name == (name or "").strip().lower()))
        if row is None:
            raise NotFound(f"There is no token called {name}")
        if row.revoked_at is not None:
            return
        row.revoked_at = clock.now()
        _audit(session, actor, TOKEN_REVOKED, token=row.name)


def list_tokens(db: Database) -> list[TokenInfo]:
    with db.transaction() as session:
        rows = session.scalars(select(ApiToken).order_by(ApiToken.name))
        return [_info(session, row) for row in rows]


def authenticate(db: Database, token: str) -> TokenInfo | None:
    """The token a request carries, if it is live: not revoked, its service user active.
    Notes the use (at most once a minute) and audits the first use each day."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    with db.transaction() as session:
        row = session.scalar(select(ApiToken).options(joinedload(ApiToken.user))
                             .where(ApiToken.token_hash == hash_token(token)))
        if row is None or row.revoked_at is not None or not row.user.active:
            return None
        now = clock.now()
        last = row.last_used_at
        if last is None or now - last >= USE_GRANULARITY or now < last:
            if last is None or last.astimezone(clock.LONDON).date() != now.astimezone(clock.LONDON).date():
                audit.record(session, TOKEN_USED, now, actor=row.user, token=row.name)
            row.last_used_at = now
        return _info(session, row)


def _info(session: Session, row: ApiToken) -> TokenInfo:
    user = session.get(User, row.user_id)
    teams = None
    if row.teams is not None:
        teams = tuple(session.scalars(select(Team.name).where(Team.id.in_(row.teams))
                                      .order_by(Team.name)))
    return TokenInfo(row.id, row.name, user.username, frozenset(row.scopes.split()),
                     None if row.teams is None else frozenset(row.teams),
                     tuple(sorted(user.roles)), teams, row.created_by, row.created_at,
                     row.last_used_at, row.revoked_at, row.prefix)


def _audit(session: Session, actor: str | None, kind: str, **detail) -> None:
    by = session.scalar(select(User).where(User.username == actor)) if actor else None
    audit.record(session, kind, clock.now(), actor=by, via="page" if by else "command line",
                 **detail)


def count_live(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(ApiToken)
                              .where(ApiToken.revoked_at.is_(None)))
