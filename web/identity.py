"""Who is asking: the signed-in user of a request, and the gates every page goes through.

`user_from_request` is the one function that turns a request into a user; `authenticate`
is the one password check. Single sign-on (web/oidc.py) finds the account another way and
then starts the session with the same `sign_in_as`: pages only ever read `current_user()`
and use the decorators below.
"""
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from models import Team, User, UserRole
from workflows import roles as R

#: Roles that do casework: they hold the lanes of the diagrams.
CASEWORK_ROLES = frozenset(R.LANE_ROLES)
#: Roles that see their team's (or the service's) work as well as their own.
MANAGER_ROLES = frozenset({R.TEAM_MANAGER, R.SERVICE_MANAGER, R.HEAD_OF_SERVICE, R.SENIOR_MANAGER})
#: Pages anyone may open: signing in, the health check, and the design system's files.
PUBLIC_ENDPOINTS = frozenset({"auth.sign_in", "oidc.start", "oidc.callback", "status.health",
                              "static", "assets"})
SESSION_KEY = "user_id"
#: The user's session generation when they signed in: signing out moves it on, which
#: refuses this cookie and any copy of it (a session cookie without one is generation 0).
GENERATION_KEY = "generation"
#: When the session was last used (wall-clock seconds, to the minute): an idle session ends.
SEEN_KEY = "seen"
SEEN_GRANULARITY = 60


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
    session_generation: int = 0

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
                 user.team.name if user.team else None, user.active, user.session_generation)


def _database():
    from . import database
    return database(current_app)


def _load(**where) -> User | None:
    with _database().reading() as session:
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
    known = user is not None and bool(user.password_hash)
    # The same hash work whether the name exists or not, so the time taken does not tell.
    matches = check_password_hash(user.password_hash if known else _stand_in_hash(), password)
    return _staff(user) if known and matches else None


def load_staff(user_id: int) -> Staff | None:
    """An active account by id, as a signed-in user (single sign-on finds accounts so)."""
    user = _load(id=user_id)
    return _staff(user) if user is not None else None


_STAND_IN: list[str] = []


def _stand_in_hash() -> str:
    """A hash of a random password, made the way real ones are, checked for unknown names."""
    if not _STAND_IN:
        import secrets
        _STAND_IN.append(generate_password_hash(secrets.token_hex(16)))
    return _STAND_IN[0]


def user_from_request(req) -> Staff | None:
    """The user a request comes from: the id kept in Flask's signed session cookie."""
    user_id = session.get(SESSION_KEY)
    if not isinstance(user_id, int):
        return None
    user = _staff_by_id(user_id)
    if user is None or user.session_generation != session.get(GENERATION_KEY, 0):
        return None  # disabled, or signed out since this cookie was issued
    return user


#: Every request's lookup, built once: the columns a Staff holds (a row per role), by id.
_STAFF_BY_ID = (select(User.id, User.username, User.display_name, User.team_id, Team.name,
                       User.active, User.session_generation, UserRole.role)
                .outerjoin(Team, Team.id == User.team_id)
                .outerjoin(UserRole, UserRole.user_id == User.id)
                .where(User.id == bindparam("user_id")))


def _staff_by_id(user_id: int) -> Staff | None:
    """Every request's lookup, kept cheap: one prepared query of the columns a Staff holds,
    run on the connection (no ORM objects, no ORM execution). Read each time, never cached,
    so a disabled account, a changed role or team, or a sign-out elsewhere is seen by the
    very next request in every web process."""
    with _database().reading() as db_session:
        rows = db_session.connection().execute(_STAFF_BY_ID, {"user_id": user_id}).all()
    if not rows or not rows[0].active:
        return None
    first = rows[0]
    return Staff(first.id, first.username, first.display_name,
                 frozenset(r.role for r in rows if r.role), first.team_id, first.name,
                 first.active, first.session_generation)


def sign_in_as(staff: Staff) -> None:
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    session[SESSION_KEY] = staff.id
    session[GENERATION_KEY] = staff.session_generation
    session[SEEN_KEY] = int(time.time())
    session.permanent = True


def sign_out() -> None:
    """Ends the session on the server too: the user's session generation moves on, so this
    cookie, or a copy of it, is refused from now on (on every device they used)."""
    user_id = session.get(SESSION_KEY)
    if isinstance(user_id, int):
        with _database().transaction() as db_session:
            user = db_session.get(User, user_id)
            if user is not None and user.session_generation == session.get(GENERATION_KEY, 0):
                user.session_generation += 1
    session.clear()


def _idle_too_long() -> bool:
    """A signed-in session unused for longer than the setting allows (wall clock)."""
    seen = session.get(SEEN_KEY)
    if SESSION_KEY not in session or not isinstance(seen, int):
        return False
    idle_minutes = current_app.config["PERMANENCE"].session_idle_minutes
    return time.time() - seen > idle_minutes * 60


def _mark_seen() -> None:
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int) or now - seen >= SEEN_GRANULARITY:
        session[SEEN_KEY] = now


def current_user() -> Staff | None:
    return g.get("user")


def _require_sign_in():
    """Before every request: who is asking; every page but the public ones needs someone.
    A session idle for too long ends here, and the sign-in page says why."""
    if request.path.startswith("/api/"):
        g.user = None
        return None  # the API authenticates each request by its token (web/api/auth.py)
    if _idle_too_long():
        session.clear()
        g.user = None
        from .drafts import keep_after_expiry
        kept = keep_after_expiry()   # a task form sent after the idle limit: its answers kept
        if kept is not None:
            return kept
        if request.endpoint not in PUBLIC_ENDPOINTS and request.endpoint is not None:
            target = request.full_path if request.method == "GET" else request.path
            return redirect(url_for("auth.sign_in", next=target.rstrip("?"), idle=1))
    g.user = user_from_request(request)
    if g.user is not None:
        _mark_seen()
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
