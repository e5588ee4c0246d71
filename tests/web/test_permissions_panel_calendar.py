"""Who may download a panel invitation as a calendar file, /panel/<date>/invitation.ics (N2,
B14, C7), on SQLite and on PostgreSQL, in the manner of test_permissions.py (codes: 200 the
file, 302 signed out, 403 not invited, 404 no such panel).

On Thursday 5 March 2026 BCP's rotation discusses children with no plan (week 9: 9 mod 5 = 4):
North's N-1 (sw's) and South's S-1 (sw_south's), both just registered. Thursday 12 March
discusses section 20 beyond 12 weeks: nobody. Friday 6 March is no panel day.
"""
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from engine import register_child
from models import Database
from models.migrate import upgrade

from ..conftest import child_details, make_council
from .conftest import add_more_staff, make_app, sign_in

USERS = ["anon", "gone", "sw", "sw2", "tm", "sw_south", "tm_south", "iro", "chair",
         "paneladmin", "adm", "legal", "sm", "hos", "po", "admin"]

MATRIX = """
route                                   anon gone sw  sw2 tm  sw_south tm_south iro chair paneladmin adm legal sm  hos po  admin
GET  /panel/2026-03-05/invitation.ics   302  302  200 403 200 200      200      403 200   200        403 403   200 200 403 403
GET  /panel/2026-03-12/invitation.ics   302  302  403 403 403 403      403      403 200   200        403 403   200 200 403 403
GET  /panel/2026-03-06/invitation.ics   302  302  404 404 404 404      404      404 404   404        404 404   404 404 404 404
GET  /panel/5-March/invitation.ics      302  302  404 404 404 404      404      404 404   404        404 404   404 404 404 404
"""


def _matrix():
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    assert lines[0][1:] == USERS
    return [(method, path, user, int(code)) for method, path, *codes in lines[1:]
            for user, code in zip(USERS, codes)]


def make_places(db) -> None:
    register_child(db, child_details(reference="N-1"), "sw", process_id="demo_pathway")
    register_child(db, child_details(reference="S-1", team="South", social_worker="sw_south"),
                   "sw_south", process_id="demo_pathway")


@pytest.fixture(scope="module")
def shared_app():
    return make_app(Database("sqlite://"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_council(request, tmp_path_factory):
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('ics') / 'ics.db'}")
    else:
        url = make_url(request.getfixturevalue("postgres_url"))
        with Database(url.render_as_string(hide_password=False)).engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("DROP DATABASE IF EXISTS permanence_ics_matrix"))
            conn.execute(text("CREATE DATABASE permanence_ics_matrix"))
        db = Database(url.set(database="permanence_ics_matrix").render_as_string(hide_password=False))
    upgrade(db)
    make_council(db)
    add_more_staff(db)
    make_places(db)
    yield db
    db.dispose()


CASES = _matrix()


@pytest.mark.parametrize("method, route, user, expected", CASES,
                         ids=[f"{m} {r} as {u}" for m, r, u, _ in CASES])
def test_N2_who_may_download_a_panel_invitation(shared_app, shared_council, method, route, user, expected):
    shared_app.extensions["permanence.db"] = shared_council
    client = shared_app.test_client()
    if user != "anon":
        sign_in(client, user)
    response = client.get(route)
    assert response.status_code == expected, response.get_data(as_text=True)[:2000]
    if expected == 302:
        assert response.headers["Location"].startswith("/sign-in")
    if expected == 200:
        assert response.mimetype == "text/calendar"
