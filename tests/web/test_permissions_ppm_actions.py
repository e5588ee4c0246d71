"""Who may open and post the PPM action pages (A5, C12), on SQLite and on PostgreSQL, in the
manner of test_permissions.py (the same council and users; codes: 200 shown, 302 signed out
or done, 403 wrong role, 404 out of sight).

The actions: NORTH_ACTION (an up-to-date assessment the IRO asked for on North's child,
owned by sw), SOUTH_ACTION (the same on South's child, owned by sw_south) and CROSS_ACTION
(a PPM action on North's child owned by sw_south of the South team, missed, and escalated to
South's team manager): its owner sees it though not the child's team, and only South's team
manager (or a service manager or head of service) answers the escalation.
"""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from engine import clock, ppm_actions, register_child
from models import Child, Database, User
from models.migrate import upgrade

from ..conftest import child_details, make_council
from .conftest import add_more_staff, make_app, sign_in

USERS = ["anon", "gone", "sw", "sw2", "tm", "sw_south", "tm_south", "iro", "chair",
         "paneladmin", "adm", "legal", "sm", "hos", "po", "admin"]

MATRIX = """
route                                         anon gone sw  sw2 tm  sw_south tm_south iro chair paneladmin adm legal sm  hos po  admin
GET  /actions/{north_action}                  302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 403
GET  /actions/{south_action}                  302  302  404 404 404 200      200      200 200   200        200 200   200 200 403 403
GET  /actions/{cross_action}                  302  302  200 200 200 200      200      200 200   200        200 200   200 200 403 403
GET  /actions/999999                          302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 403
GET  /children/{north}/assessment-request     302  302  403 403 200 404      404      200 403   403        403 403   200 200 403 403
GET  /children/{south}/assessment-request     302  302  404 404 404 403      200      200 403   403        403 403   200 200 403 403
GET  /children/999999/assessment-request      302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 403
POST /actions/{north_action}/done             302  302  302 302 302 404      404      403 403   403        403 403   403 403 403 403
POST /actions/{cross_action}/done             302  302  302 302 302 302      403      403 403   403        403 403   403 403 403 403
POST /actions/{cross_action}/escalation       302  302  403 403 403 403      302      403 403   403        403 403   302 302 403 403
POST /actions/{north_action}/escalation       302  302  403 403 403 404      404      403 403   403        403 403   403 403 403 403
POST /children/{north}/assessment-request     302  302  403 403 302 404      404      302 403   403        403 403   302 302 403 403
"""

BODIES = {
    "/actions/{north_action}/done": {"done_on-day": "2", "done_on-month": "3", "done_on-year": "2026",
                                     "note": "Assessment updated"},
    "/actions/{cross_action}/done": {"done_on-day": "2", "done_on-month": "3", "done_on-year": "2026",
                                     "note": "Carers found"},
    "/actions/{cross_action}/escalation": {"note": "Agreed with Sid: done by Friday"},
    "/actions/{north_action}/escalation": {"note": "Nothing was escalated"},
    "/children/{north}/assessment-request": {"what": "The parenting assessment", "due_on-day": "20",
                                             "due_on-month": "3", "due_on-year": "2026"},
}


def _matrix():
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    assert lines[0][1:] == USERS
    return [(method, path, user, int(code)) for method, path, *codes in lines[1:]
            for user, code in zip(USERS, codes)]


def make_places(db) -> dict:
    """The children and actions, made on Monday 2 March 2026 (the app's fixed clock)."""
    clock.set_fixed(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    try:
        north = register_child(db, child_details(reference="N-1"), "sw", process_id="demo_pathway").child_id
        south = register_child(db, child_details(reference="S-1", team="South", social_worker="sw_south"),
                               "sw_south", process_id="demo_pathway").child_id
        ask = {"what": "The parenting assessment", "due_on": "2026-03-20"}
        north_action = ppm_actions.request_assessment(db, north, "iro", ask).id
        south_action = ppm_actions.request_assessment(db, south, "iro", ask).id
        with db.transaction() as session:   # a fostering practitioner in another team owns it
            owner = session.scalars(select(User).where(User.username == "sw_south")).unique().one()
            cross_action = ppm_actions._add(session, session.get(Child, north), ppm_actions.PPM_SOURCE,
                                            date(2026, 3, 2), "Find long-term foster carers", owner,
                                            date(2026, 3, 2), None, clock.now()).id
        # Due Monday 2 March, overdue from Tuesday 3 March: escalated to South's team manager.
        ppm_actions.escalate_missed(db, datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc))
    finally:   # the pages run on the app's own fixed clock (tests/web/conftest.py FIXED)
        clock.set_fixed(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    return {"north": north, "south": south, "north_action": north_action,
            "south_action": south_action, "cross_action": cross_action}


READING = [c for c in _matrix() if c[0] == "GET"]
DOING = [c for c in _matrix() if c[0] == "POST"]


@pytest.fixture(scope="module")
def shared_app():
    return make_app(Database("sqlite://"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_council(request, tmp_path_factory):
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('actions') / 'actions.db'}")
    else:
        url = make_url(request.getfixturevalue("postgres_url"))
        with Database(url.render_as_string(hide_password=False)).engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("DROP DATABASE IF EXISTS permanence_actions_matrix"))
            conn.execute(text("CREATE DATABASE permanence_actions_matrix"))
        db = Database(url.set(database="permanence_actions_matrix").render_as_string(hide_password=False))
    upgrade(db)
    make_council(db)
    add_more_staff(db)
    yield db, make_places(db)
    db.dispose()


def _request(client, method, route, user, places):
    if user != "anon":
        sign_in(client, user)
    path = route.format(**places)
    if method == "GET":
        return client.get(path)
    return client.post(path, data=BODIES.get(route, {}))


def _check(response, user, expected):
    assert response.status_code == expected, response.get_data(as_text=True)[:2000]
    if expected == 302 and user in ("anon", "gone"):
        assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("method, route, user, expected", READING,
                         ids=[f"{m} {r} as {u}" for m, r, u, _ in READING])
def test_a5_c12_who_may_open_the_action_pages(shared_app, shared_council, method, route, user, expected):
    db, places = shared_council
    shared_app.extensions["permanence.db"] = db
    _check(_request(shared_app.test_client(), method, route, user, places), user, expected)


@pytest.mark.parametrize("method, route, user, expected", DOING,
                         ids=[f"{m} {r} as {u}" for m, r, u, _ in DOING])
def test_a5_c12_who_may_mark_done_answer_or_ask(shared_app, staff, method, route, user, expected):
    places = make_places(staff)
    shared_app.extensions["permanence.db"] = staff
    _check(_request(shared_app.test_client(), method, route, user, places), user, expected)
