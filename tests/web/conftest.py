"""Fixtures for the web tests: the application on the `council` database (SQLite and
PostgreSQL), a test client, signing in as any of the council's users, and the extra staff
the permission matrix needs (panel, decision-making, legal and senior roles)."""
import re

import pytest

from engine.people import add_user
from web import create_app
from web.identity import GENERATION_KEY, SESSION_KEY
from web.settings import Settings
from models import User
from workflows import roles

FIXED = "2026-03-02T09:00:00+00:00"  # the `fixed_clock` fixture's instant

#: Staff beyond the `council` fixture's, one for each council-wide role.
MORE_STAFF = [
    ("chair", "Chris Chair", roles.PANEL_CHAIR),
    ("paneladmin", "Pia Panel", roles.PANEL_ADMINISTRATOR),
    ("adm", "Dee Decider", roles.ADM),
    ("legal", "Len Legal", roles.LEGAL),
    ("sm", "Sal Service", roles.SERVICE_MANAGER),
    ("hos", "Hal Head", roles.HEAD_OF_SERVICE),
]


def make_app(db, **config):
    """The app as `create_app` makes it, on a test database, with the tests' fixed clock.
    CSRF is off unless a test asks for it (test_csrf.py does)."""
    app = create_app(Settings(database_url=db.url, secret_key="test", clock=FIXED, process_id="demo_pathway"), db=db)
    app.config.update({"TESTING": True, "WTF_CSRF_ENABLED": False, **config})
    return app


def add_more_staff(db):
    with db.transaction() as session:
        for username, name, role in MORE_STAFF:
            add_user(session, username, name, [role])
    return db


@pytest.fixture
def staff(council):
    return add_more_staff(council)


@pytest.fixture
def app(staff):
    return make_app(staff)


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in(client, username: str) -> None:
    """Put a user's id in the session as the sign-in page does (the password check has its
    own tests in test_auth.py)."""
    db = client.application.extensions["permanence.db"]
    with db.transaction() as session:
        user_id, generation = session.query(User.id, User.session_generation).filter_by(
            username=username).one_or_none() or (None, 0)
    assert user_id is not None, username
    with client.session_transaction() as flask_session:
        flask_session[SESSION_KEY] = user_id
        flask_session[GENERATION_KEY] = generation  # as sign-in sets it (moved on by sign-out)


def page_text(response) -> str:
    """The page's words, tags removed and spaces collapsed, for readable assertions."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    from html import unescape
    return re.sub(r"\s+", " ", unescape(text)).strip()
