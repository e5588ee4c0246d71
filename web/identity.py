"""Who is asking: the signed-in user of a request, and the gates every page goes through.

`user_from_request` is the one function that turns a request into a user; `authenticate`
is the one password check. Single sign-on replaces these two and nothing else: pages only
ever read `current_user()` and use the decorators below.
"""
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash

from models import User
from workflows import roles as R

#: Roles that do casework: they hold the lanes of the diagrams.
CASEWORK_ROLES = frozenset(R.LANE_ROLES)
#: Roles that see their team's (or the service's) work as well as their own.
MANAGER_ROLES = frozenset({R.TEAM_MANAGER, R.SERVICE_MANAGER, R.HEAD_OF_SERVICE, R.SENIOR_MANAGER})
#: Pages anyone may open: signing in, the health check, and the design system's files.
PUBLIC_ENDPOINTS = frozenset({"auth.sign_in", "status.health", "static", "assets"})
SESSION_KEY = "user_id"


@dataclass(frozen=True)
class Staff:
    """The signed-in user, detached from the database session that loaded them."""
    id: int
    username: str
    display_name: str
    roles: frozenset[str]
    team_id: int | None
    team_name: str | None
    active: bool = True

    def has_any(self, roles) -> bool:
        return bool(self.roles & frozenset(roles))

    @property
    def does_casework(self) -> bool:
        return self.has_any(CASEWORK_ROLES)

    @property
    def is_manager(self) -> bool:
        return self.has_any(MANAGER_ROLES)


def _staff(user: User) -> Staff:
    return Staff(user.id, user.username, user.display_name, user.roles, user.team_id,
                 user.team.name if user.team else None, user.active)


def _database():
    from . import database
    return database(current_app)


def _load(**where) -> User | None:
    with _database().transaction() as session:
        query = select(User).options(joinedload(User.team)).filter_by(**where)
        user = session.scalars(query).unique().first()
        if user is None or not user.active:
            return None
        user.team  # noqa: B018  (loaded before the session closes)
        return user


def authenticate(username: str, password: str) -> Staff | None:
    """The local password check; None for a wrong name, a wrong password or a disabled
    account alike, so the sign-in page cannot be used to find out which names exist."""
    user = _load(username=username.strip()) if username.strip() else None
    if user is None or not user.password_hash or not check_password_hash(user.password_hash, password):
        return None
    return _staff(user)


def user_from_request(req) -> Staff | None:
    """The user a request comes from: the id kept in Flask's signed session cookie."""
    user_id = session.get(SESSION_KEY)
    if not isinstance(user_id, int):
        return None
    user = _load(id=user_id)
    return _staff(user) if user else None


def sign_in_as(staff: Staff) -> None:
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    session[SESSION_KEY] = staff.id
    session.permanent = True


def sign_out() -> None:
    session.clear()


def current_user() -> Staff | None:
    return g.get("user")


def _require_sign_in():
    """Before every request: who is asking; every page but the public ones needs someone."""
    if request.path.startswith("/api/"):
        g.user = None
        return None  # the API authenticates each request by its token (web/api/auth.py)
    g.user = user_from_request(request)
    if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        if request.endpoint is None:
            return None  # let the 404 handler answer for a page that does not exist
        target = request.full_path if request.method == "GET" else request.path
        return redirect(url_for("auth.sign_in", next=target.rstrip("?")))
    return None


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: a sign-in link must not send anyone elsewhere."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


def roles_required(*allowed: str):
    """A page only these roles may use: 403 for anyone else (signed in, but the wrong job)."""
    allowed_roles = frozenset(allowed)

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if user is None or not user.has_any(allowed_roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


casework_required = roles_required(*CASEWORK_ROLES)
#: Child pages: casework roles, and administrators who fix pathways; not process owners.
child_viewers_required = roles_required(*CASEWORK_ROLES, R.ADMINISTRATOR)


def init_app(app: Flask) -> None:
    app.before_request(_require_sign_in)
