"""Who may open which page: every route of the practitioners' pages against every kind of
user, on SQLite and on PostgreSQL.

The council (tests/conftest.py, plus MORE_STAFF): North has sw, sw2 (social workers) and tm
(team manager); South has sw_south and tm_south; iro, chair, paneladmin, adm, legal, sm and
hos work across the council; po is a process owner; admin an administrator; gone is a
deactivated social worker; anon has not signed in.

The children: NORTH (North, allocated to sw) waits for its initial PPM (Social Worker lane);
NORTH_TM (North) is on reunification, waiting for the Team Manager to confirm the support
plan; SOUTH (South, sw_south) waits for its initial PPM. NORTH_BEFORE (North, on the edge of
care) and SOUTH_BEFORE (South, unborn) are known before care (A10, E18), seen as their team's.

Codes: 200 shown; 302 a redirect (to sign-in for anon and gone; after a POST that worked,
onwards); 400 a form sent back with errors; 403 signed in but the wrong role for this page or
task; 404 not found, also for a child or task of another team, so its existence does not leak.
Single sign-on's pages (/sign-in/oidc) are not there (404) without PERMANENCE_OIDC_ISSUER, as
here; with it they are open to anyone and tests/web/test_oidc.py tests them.
The managers' pages (dashboard, drift lists, tracker) are for team, service and senior
managers; the children list ("My children" and the header's search) for every casework role
and administrators; the Permanence Panel page for the chair, the administrator, service
managers and heads of service; 400 for a panel date that is not a Thursday.
"""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from engine import clock, complete_task, open_tasks, publish, register_before_care, register_child
from models import Database, TaskRecord
from models.migrate import upgrade

from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS, child_details, make_council
from .conftest import add_more_staff, make_app, sign_in

USERS = ["anon", "gone", "sw", "sw2", "tm", "sw_south", "tm_south", "iro", "chair",
         "paneladmin", "adm", "legal", "sm", "hos", "po", "admin"]

MATRIX = """
route                              anon gone sw  sw2 tm  sw_south tm_south iro chair paneladmin adm legal sm  hos po  admin
GET  /                             302  302  302 302 302 302      302      302 302   302        302 302   302 302 302 302
GET  /healthz                      200  200  200 200 200 200      200      200 200   200        200 200   200 200 200 200
GET  /sign-in                      200  200  302 302 302 302      302      302 302   302        302 302   302 302 302 302
POST /sign-out                     302  302  302 302 302 302      302      302 302   302        302 302   302 302 302 302
GET  /sign-in/oidc                 404  404  404 404 404 404      404      404 404   404        404 404   404 404 404 404
GET  /sign-in/oidc/callback?code=c&state=s 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404 404
GET  /inbox                        302  302  200 200 200 200      200      200 200   200        200 200   200 200 200 200
GET  /status                       302  302  200 200 200 200      200      200 200   200        200 200   200 200 200 200
GET  /children/new                 302  302  200 200 200 200      200      200 200   200        200 200   200 200 403 403
POST /children/new                 302  302  302 302 302 400      400      302 302   302        302 302   302 302 403 403
GET  /children/before-care         302  302  200 200 200 200      200      200 200   200        200 200   200 200 403 403
POST /children/before-care         302  302  302 302 302 400      400      302 302   302        302 302   302 302 403 403
GET  /children/{north_before}      302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{south_before}      302  302  404 404 404 200      200      200 200   200        200 200   200 200 403 200
GET  /children/{north}             302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{north}/diagram.bpmn 302 302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{south}             302  302  404 404 404 200      200      200 200   200        200 200   200 200 403 200
GET  /children/{south}/diagram.bpmn 302 302  404 404 404 200      200      200 200   200        200 200   200 200 403 200
GET  /children/999999              302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 404
GET  /children/{north}/events/new   302  302  200 200 200 404      404      403 403   403        403 200   200 200 403 403
GET  /children/{south}/events/new   302  302  404 404 404 200      200      403 403   403        403 200   200 200 403 403
GET  /children/{north}/events/new?kind=placement_changed 302 302 200 200 200 404 404 403 403 403 403 403 200 200 403 403
GET  /children/{north}/events/new?kind=proceedings_issued 302 302 200 200 200 404 404 403 403 403 403 200 200 200 403 403
GET  /children/{north}/events/new?kind=lgm_referral 302 302 200 200 200 404 404 403 403 403 403 403 200 403 403 403
POST /children/{north}/events/new?kind=placement_changed 302 302 302 302 302 404 404 403 403 403 403 403 302 302 403 403
GET  /children/999999/events/new    302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 403
GET  /tasks/{north_task}           302  302  200 200 403 404      404      403 403   403        403 403   403 403 403 403
GET  /tasks/{north_tm_task}        302  302  403 403 200 404      404      403 403   403        403 403   403 403 403 403
GET  /tasks/{south_task}           302  302  404 404 404 200      403      403 403   403        403 403   403 403 403 403
GET  /tasks/no-such-task           302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 403
GET  /actions/no-such-task/progress 302 302  404 404 404 404      404      404 404   404        404 404   404 404 403 403
GET  /actions/{north_task}/progress 302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 403
POST /tasks/{north_task}           302  302  302 302 403 404      404      403 403   403        403 403   403 403 403 403
POST /tasks/{north_tm_task}        302  302  403 403 302 404      404      403 403   403        403 403   403 403 403 403
GET  /tasks/{north_task}/check     302  302  302 302 403 404      404      403 403   403        403 403   403 403 403 403
GET  /tasks/{north_tm_task}/check  302  302  403 403 302 404      404      403 403   403        403 403   403 403 403 403
POST /tasks/{north_task}/check     302  302  302 302 403 404      404      403 403   403        403 403   403 403 403 403
POST /tasks/{north_task}/draft     302  302  200 200 403 404      404      403 403   403        403 403   403 403 403 403
POST /tasks/{south_task}/draft     302  302  404 404 404 200      403      403 403   403        403 403   403 403 403 403
POST /session/extend               302  302  204 204 204 204      204      204 204   204        204 204   204 204 204 204
GET  /glossary                      302  302  200 200 200 200      200      200 200   200        200 200   200 200 200 200
GET  /account/reminders             302  302  200 200 200 200      200      200 200   200        200 200   200 200 200 200
POST /account/reminders             302  302  302 302 302 302      302      302 302   302        302 302   302 302 302 302
GET  /admin/reminders               302  302  403 403 403 403      403      403 403   403        403 403   403 403 403 200
GET  /admin/reminders?status=failed 302  302  403 403 403 403      403      403 403   403        403 403   403 403 403 200
POST /admin/reminders/999999/retry  302  302  403 403 403 403      403      403 403   403        403 403   403 403 403 404
GET  /children/{north}/allocation  302  302  403 403 200 403      404      403 403   403        403 403   200 200 403 403
GET  /children/{south}/allocation  302  302  403 403 404 403      200      403 403   403        403 403   200 200 403 403
GET  /children/999999/allocation   302  302  403 403 404 403      404      403 403   403        403 403   404 404 403 403
POST /children/{north}/allocation  302  302  403 403 302 403      404      403 403   403        403 403   302 302 403 403
GET  /dashboard                    302  302  403 403 200 403      200      403 403   403        403 403   200 200 403 403
GET  /dashboard/diagram.bpmn       302  302  403 403 200 403      200      403 403   403        403 403   200 200 403 403
GET  /dashboard/drift/no-plan      302  302  403 403 200 403      200      403 403   403        403 403   200 200 403 403
GET  /dashboard/drift/s20          302  302  403 403 200 403      200      403 403   403        403 403   200 200 403 403
GET  /dashboard/drift/no-ppm       302  302  403 403 200 403      200      403 403   403        403 403   200 200 403 403
GET  /dashboard/drift/panel-actions 302  302  403 403 200 403      200      403 403   403        403 403   200 200 403 403
GET  /dashboard/drift/no-such-list 302  302  403 403 404 403      404      403 403   403        403 403   404 404 403 403
GET  /dashboard/tracker.csv        302  302  403 403 200 403      200      403 403   403        403 403   200 200 403 403
GET  /dashboard/tracker.xlsx       302  302  403 403 200 403      200      403 403   403        403 403   200 200 403 403
GET  /children                     302  302  200 200 200 200      200      200 200   200        200 200   200 200 403 200
GET  /children?q=N&overdue=yes&page=2 302  302  200 200 200 200      200      200 200   200        200 200   200 200 403 200
GET  /children?show=all&q=ex%20a    302  302  200 200 200 200      200      200 200   200        200 200   200 200 403 200
GET  /panel                        302  302  403 403 403 403      403      403 200   200        403 403   200 200 403 403
GET  /panel?panel_date-day=4&panel_date-month=3&panel_date-year=2026 302 302 403 403 403 403 403 403 400 400 403 403 400 400 403 403
GET  /records/{north_record}        302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /records/{north_record}/print  302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /records/{north_record}.pdf    302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /records/{south_record}        302  302  404 404 404 200      200      200 200   200        200 200   200 200 403 200
GET  /records/{south_record}.pdf    302  302  404 404 404 200      200      200 200   200        200 200   200 200 403 200
GET  /records/999999               302  302  404 404 404 404      404      404 404   404        404 404   404 404 403 404
GET  /records/{north_record}/correct 302 302  200 403 200 404      404      403 403   403        403 403   403 403 403 403
GET  /records/{south_record}/correct 302 302  404 404 404 200      200      403 403   403        403 403   403 403 403 403
POST /records/{north_record}/correct 302 302  302 403 302 404      404      403 403   403        403 403   403 403 403 403
GET  /children/{north}/plan        302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{north}/plan/print  302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{north}/plan.pdf    302  302  200 200 200 404      404      200 200   200        200 200   200 200 403 200
GET  /children/{south}/plan        302  302  404 404 404 200      200      200 200   200        200 200   200 200 403 200
GET  /panel/children/{north}/pack  302  302  403 403 403 403      403      403 200   200        403 403   200 200 403 403
GET  /panel/children/{north}/pack.pdf 302 302 403 403 403 403     403      403 200   200        403 403   200 200 403 403
GET  /panel/children/999999/pack   302  302  403 403 403 403      403      403 404   404        403 403   404 404 403 403
GET  /panel/packs.pdf?panel_date-day=5&panel_date-month=3&panel_date-year=2026 302 302 403 403 403 403 403 403 200 200 403 403 200 200 403 403
GET  /panel/packs.pdf?panel_date-day=4&panel_date-month=3&panel_date-year=2026 302 302 403 403 403 403 403 403 400 400 403 403 400 400 403 403
GET  /panel/minutes?panel_date-day=5&panel_date-month=3&panel_date-year=2026 302 302 403 403 403 403 403 403 200 200 403 403 200 200 403 403
GET  /panel/minutes.pdf?panel_date-day=5&panel_date-month=3&panel_date-year=2026 302 302 403 403 403 403 403 403 200 200 403 403 200 200 403 403
GET  /panel/minutes?panel_date-day=4&panel_date-month=3&panel_date-year=2026 302 302 403 403 403 403 403 403 400 400 403 403 400 400 403 403
GET  /panel/agenda?panel_date-day=5&panel_date-month=3&panel_date-year=2026 302 302 403 403 403 403 403 403 200 200 403 403 200 200 403 403
GET  /panel/agenda.pdf?panel_date-day=5&panel_date-month=3&panel_date-year=2026 302 302 403 403 403 403 403 403 200 200 403 403 200 200 403 403
GET  /panel/agenda?panel_date-day=4&panel_date-month=3&panel_date-year=2026 302 302 403 403 403 403 403 403 400 400 403 403 400 400 403 403
"""


def _matrix() -> list[tuple[str, str, str, int]]:
    lines = [line.split() for line in MATRIX.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert header[1:] == USERS, "the matrix's columns must be USERS, in order"
    cases = []
    for method, path, *codes in rows:
        assert len(codes) == len(USERS), f"{method} {path}: one code per user"
        cases += [(method, path, user, int(code)) for user, code in zip(USERS, codes)]
    return cases


#: What a POST sends: valid answers, so a refusal can only come from who is asking.
BODIES = {
    "/children/new": {
        "reference": "NEW-{user}", "name": "Nia New", "legal_status": "s20", "team": "North",
        "social_worker": "sw", "date_of_birth-day": "1", "date_of_birth-month": "6",
        "date_of_birth-year": "2015", "looked_after_on-day": "2", "looked_after_on-month": "3",
        "looked_after_on-year": "2026"},
    "/children/before-care": {   # A10: a child on the edge of care, referred to the LGM
        "reference": "BC-{user}", "name": "Eddie Edge", "before_care": "edge_of_care", "team": "North",
        "social_worker": "sw", "date_of_birth-day": "1", "date_of_birth-month": "6",
        "date_of_birth-year": "2015", "known_on-day": "2", "known_on-month": "3", "known_on-year": "2026"},
    "/children/{north}/events/new?kind=placement_changed": {
        "placement_type": "in_house_foster", "carers": "Jo Carer", "area": "local",
        "started_on-day": "2", "started_on-month": "3", "started_on-year": "2026"},
    "/tasks/{north_task}": {
        "held_on-day": "2", "held_on-month": "3", "held_on-year": "2026", "plan": "adoption",
        "contingency_plan": "Long-term fostering"},
    "/records/{north_record}/correct": {
        "held_on-day": "2", "held_on-month": "3", "held_on-year": "2026", "plan": "reunification",
        "contingency_plan": "Kinship care with the grandparents", "reason": "Grandparents came forward"},
    "/tasks/{north_task}/draft": {"held_on-day": "2", "background": "Typed so far"},
    "/account/reminders": {"frequency": "digest"},
    "/tasks/{south_task}/draft": {"held_on-day": "2", "background": "Typed so far"},
    "/children/{north}/allocation": {
        "team": "North", "social_worker": "sw2", "on-day": "2", "on-month": "3", "on-year": "2026",
        "reason": "Caseload balancing"},
    "/tasks/{north_tm_task}": {
        "agreed_on-day": "2", "agreed_on-month": "3", "agreed_on-year": "2026",
        "support_plan": "Weekly family support"},
}


def make_places(db) -> dict:
    """The three children, and the ids of their open tasks, to fill the routes in with."""
    north = register_child(db, child_details(reference="N-1"), "sw", process_id="demo_pathway").child_id
    south = register_child(db, child_details(reference="S-1", team="South",
                                             social_worker="sw_south"), "sw_south", process_id="demo_pathway").child_id
    north_tm = register_child(db, child_details(reference="N-2", name="Bo Example"), "sw", process_id="demo_pathway").child_id
    [ppm] = open_tasks(db, child_id=north_tm)
    complete_task(db, ppm["task_id"], {"held_on": "2026-03-02", "plan": "reunification",
                                       "contingency_plan": "Kinship care"}, "sw")
    [confirm] = open_tasks(db, child_id=north_tm)
    south_done = register_child(db, child_details(reference="S-2", team="South", social_worker="sw_south"),
                                "sw_south", process_id="demo_pathway").child_id
    [south_ppm] = open_tasks(db, child_id=south_done)
    complete_task(db, south_ppm["task_id"], {"held_on": "2026-03-02", "plan": "adoption",
                                             "contingency_plan": "Long-term fostering"}, "sw_south")
    with db.transaction() as session:   # the records those two PPMs made
        records = dict(session.execute(select(TaskRecord.child_id, TaskRecord.id)).all())
    return {"north": north, "south": south, "north_record": records[north_tm],
            "south_record": records[south_done],
            "north_task": open_tasks(db, child_id=north)[0]["task_id"],
            "south_task": open_tasks(db, child_id=south)[0]["task_id"],
            "north_tm_task": confirm["task_id"]}


def make_before_care_places(db) -> dict:
    """A10, E18: children known before care, seen as any child of their team is (and the
    diagram the page registers them on)."""
    publish(db, load_directory(DIAGRAMS, "before_care"), "tests")
    north_before = register_before_care(db, {
        "reference": "NB-1", "name": "Eddie Edge", "before_care": "edge_of_care", "known_on": "2026-03-02",
        "date_of_birth": "2015-06-01", "team": "North", "social_worker": "sw"}, "sw").child_id
    south_before = register_before_care(db, {
        "reference": "SB-1", "name": "Baby of Jo South", "before_care": "unborn", "known_on": "2026-03-02",
        "expected_birth_on": "2026-06-01", "team": "South", "social_worker": "sw_south"}, "sw_south").child_id
    return {"north_before": north_before, "south_before": south_before}


def _changes_a_task(method: str, route: str) -> bool:
    """Completing a task, correcting a record or reallocating a child changes the council:
    those cases each get a fresh one."""
    return method == "POST" and (route.startswith(("/tasks/", "/records/"))
                                 or route.endswith("/allocation"))


READING = [c for c in _matrix() if not _changes_a_task(c[0], c[1])]
DOING = [c for c in _matrix() if _changes_a_task(c[0], c[1])]


@pytest.fixture(scope="module")
def shared_app():
    """One application for the module: its templates are compiled once, not per case."""
    return make_app(Database("sqlite://"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_council(request, tmp_path_factory):
    """A council that the read-only cases share, in a database of its own (on PostgreSQL a
    separate database on the suite's server, which other tests' truncation cannot touch)."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'matrix.db'}")
    else:
        url = make_url(request.getfixturevalue("postgres_url"))
        with Database(url.render_as_string(hide_password=False)).engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("DROP DATABASE IF EXISTS permanence_matrix"))
            conn.execute(text("CREATE DATABASE permanence_matrix"))
        db = Database(url.set(database="permanence_matrix").render_as_string(hide_password=False))
    upgrade(db)
    clock.set_fixed(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    try:
        make_council(db)
        add_more_staff(db)
        places = make_places(db) | make_before_care_places(db)
    finally:
        clock.reset()
    yield db, places
    db.dispose()


def _request(client, method, route, user, places):
    if user != "anon":
        sign_in(client, user)
    path = route.format(**places)
    if method == "GET":
        return client.get(path)
    body = {k: v.format(user=user, **places) for k, v in BODIES.get(route, {}).items()}
    return client.post(path, data=body)


def _check(response, route, user, expected):
    assert response.status_code == expected, response.get_data(as_text=True)[:2000]
    if expected == 302 and user in ("anon", "gone") and route != "/sign-out":
        assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("method, route, user, expected", READING,
                         ids=[f"{m} {r} as {u}" for m, r, u, _ in READING])
def test_who_may_open_which_page(shared_app, shared_council, method, route, user, expected):
    db, places = shared_council
    shared_app.extensions["permanence.db"] = db
    response = _request(shared_app.test_client(), method, route, user, places)
    _check(response, route, user, expected)


@pytest.mark.parametrize("method, route, user, expected", DOING,
                         ids=[f"{m} {r} as {u}" for m, r, u, _ in DOING])
def test_who_may_complete_which_task(shared_app, staff, method, route, user, expected):
    places = make_places(staff)
    shared_app.extensions["permanence.db"] = staff
    response = _request(shared_app.test_client(), method, route, user, places)
    _check(response, route, user, expected)
