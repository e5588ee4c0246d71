"""The Flask application: app factory, blueprints per area, extensions set up in one place.
(`web/__init__.py` hands `create_app` on from here, loading Flask only when it is called.)"""
from datetime import timedelta

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from engine import clock
from models import Database

from .settings import Settings

csrf = CSRFProtect()
#: The largest request body any page takes (a task form with long notes is far less).
MAX_REQUEST_BYTES = 1_000_000


class _SessionCookies(SecureCookieSessionInterface):
    """The session cookie is Secure except in debug and testing, or when the operator says
    the service is on plain http (PERMANENCE_INSECURE_COOKIES=1, as `make run` does).
    Its signer is made once per key (Flask makes one twice a request): it holds nothing but
    the keys and the salt, so a change of key in the config makes a new one."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) and not (app.debug or app.testing)

    def get_signing_serializer(self, app: Flask):
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = app.extensions.get("permanence.session_signer")
        if made is None or made[0] != key:
            made = app.extensions["permanence.session_signer"] = (key, super().get_signing_serializer(app))
        return made[1]


def create_app(settings: Settings | None = None, db: Database | None = None) -> Flask:
    settings = settings or Settings.from_env()
    clock.configure(settings.clock)
    app = Flask(__name__)
    from .layout import Environment
    app.jinja_environment = Environment   # before anything reads app.jinja_env
    app.config.update(SECRET_KEY=settings.secret_key, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=not settings.insecure_cookies,
                      SESSION_COOKIE_NAME="permanence_session",
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
                      # The cookie is signed and sent again only when the session changes:
                      # at sign-in, a form's first token, "Stay signed in", and the minute
                      # stamp of its last use (web/identity.py), which keeps its 10 hours
                      # rolling; not on every page (a signature, JSON and zlib each time).
                      SESSION_REFRESH_EACH_REQUEST=False,
                      WTF_CSRF_TIME_LIMIT=None,  # a form open all afternoon still submits
                      # Every request's body; the diagram uploads set their own limits.
                      MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
                      PERMANENCE=settings)
    app.session_interface = _SessionCookies()
    app.extensions["permanence.db"] = db or Database(settings.database_url)
    csrf.init_app(app)

    from . import errors, headers, identity, input_guard, layout, snapshot
    snapshot.init_app(app)     # first: who is asking is read in the page's one snapshot
    headers.init_app(app)
    input_guard.init_app(app)  # before identity: a NUL never reaches a query
    layout.init_app(app)
    identity.init_app(app)
    errors.init_app(app)

    from .auth import bp as auth_bp
    from .children import bp as children_bp
    from .inbox import bp as inbox_bp
    from .status import bp as status_bp
    from .tasks import bp as tasks_bp
    from .diagrams import bp as diagrams_bp
    for blueprint in (status_bp, auth_bp, inbox_bp, tasks_bp, children_bp, diagrams_bp):
        app.register_blueprint(blueprint)
    from . import admin, admin_import, dashboard, exports, panel  # managers', panel's, administrators'
    from . import allocation, drafts, glossary  # reallocation; autosave, staying signed in
    for blueprint in (dashboard.bp, exports.bp, panel.bp, admin.bp, admin_import.bp, drafts.bp,
                      allocation.bp, glossary.bp):
        app.register_blueprint(blueprint)
    from . import panel_learning  # disruptions, learning themes and FGC use (G5-G7)
    app.register_blueprint(panel_learning.bp)
    from . import case_events, ppm_actions
    app.register_blueprint(case_events.bp)
    app.register_blueprint(ppm_actions.bp)   # PPM actions owned by staff (A5), assessments asked for (C12)
    from .casework import bp as casework_bp  # siblings, family time, identity and needs
    app.register_blueprint(casework_bp)
    from .records import bp as records_bp  # the child's record: pages, print, PDF, corrections
    app.register_blueprint(records_bp)
    from .oversight import bp as oversight_bp  # performance, the Board report, tracking meetings
    app.register_blueprint(oversight_bp)
    from . import oidc  # signing in with the council's OpenID Connect provider, when set
    app.register_blueprint(oidc.bp)
    from . import reminders  # reminders by e-mail: each person's choice, the admins' outbox
    app.register_blueprint(reminders.bp)
    from . import panel_calendar  # the panel invitation as a calendar file (N2)
    app.register_blueprint(panel_calendar.bp)
    from . import admin_tokens, api  # the JSON API for other systems, and its tokens
    app.register_blueprint(admin_tokens.bp)
    api.init_app(app, csrf)
    return app


def database(app: Flask) -> Database:
    return app.extensions["permanence.db"]
