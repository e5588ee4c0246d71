"""The Flask application: app factory, blueprints per area, extensions set up in one place."""
from flask import Flask

from engine import clock
from models import Database

from .settings import Settings


def create_app(settings: Settings | None = None, db: Database | None = None) -> Flask:
    settings = settings or Settings.from_env()
    clock.configure(settings.clock)
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", PERMANENCE=settings)
    app.extensions["permanence.db"] = db or Database(settings.database_url)

    from .status import bp as status_bp
    app.register_blueprint(status_bp)
    return app


def database(app: Flask) -> Database:
    return app.extensions["permanence.db"]
