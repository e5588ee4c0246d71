"""Who may use which API route, and the administrators' tokens page: every route against
every kind of token, on SQLite and on PostgreSQL (as test_permissions.py does for pages).

Tokens: none (no Authorization header); revoked; north (Social Worker, North, every scope,
records:read among them);
south (Social Worker, South, every scope); iro (IRO, every team, read scopes); iro_north (IRO,
North only, read scopes); manager (Team Manager, North: tracker:read children:read); bare
(Social Worker, North, events:read only); tm (Team Manager, North, every scope).

Codes: 401 no live token; 403 the token lacks the scope, or its roles may not do this; 404 a
child or task out of the token's sight (another team), as if it did not exist; 422 a body
the route refuses (sent here only where the token may act); 200/201 done.
"""
from datetime import datetime, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from engine import clock, publish, tokens
from models import Database
from models.migrate import upgrade
from workflows import roles
from workflows.diagrams import load_directory

from ..conftest import DIAGRAMS, make_council
from .conftest import add_more_staff, make_app, sign_in
from .test_permissions import make_places

TOKENS = ["none", "revoked", "north", "south", "iro", "iro_north", "manager", "bare", "tm"]

MATRIX = """
route                                   none revoked north south iro iro_north manager bare tm
GET   /api/v1/children                  401  401     200   200   200 200       200     403  200
GET   /api/v1/children/{north}          401  401     200   404   200 200       200     403  200
GET   /api/v1/children/{south}          401  401     404   200   200 404       404     403  404
GET   /api/v1/children/{south}/position 401  401     404   200   200 404       404     403  404
GET   /api/v1/children/{north}/deadlines 401 401     200   404   200 200       200     403  200
GET   /api/v1/children/999999           401  401     404   404   404 404       404     403  404
POST  /api/v1/children                  401  401     201   422   403 403       403     403  201
POST  /api/v1/children/before-care      401  401     201   422   403 403       403     403  201
PATCH /api/v1/children/{north}          401  401     200   404   403 403       403     403  200
PATCH /api/v1/children/{south}          401  401     404   200   403 403       403     403  404
GET   /api/v1/children/{north}/records  401  401     200   404   403 403       403     403  200
GET   /api/v1/children/{south}/records  401  401     404   200   403 403       403     403  404
GET   /api/v1/records/{north_record}    401  401     200   404   403 403       403     403  200
GET   /api/v1/records/{south_record}    401  401     404   200   403 403       403     403  404
GET   /api/v1/records/999999            401  401     404   404   403 403       403     403  404
GET   /api/v1/children/{north}/case-events 401 401   200   404   200 200       200     403  200
GET   /api/v1/children/{south}/case-events 401 401   404   200   200 404       404     403  404
GET   /api/v1/children/{north}/placements 401 401    200   404   200 200       200     403  200
POST  /api/v1/children/{north}/case-events 401 401   201   404   403 403       403     403  201
POST  /api/v1/children/{south}/case-events 401 401   404   201   403 403       403     403  404
GET   /api/v1/children/{north}/case-details 401 401  200   404   200 200       200     403  200
GET   /api/v1/children/{south}/case-details 401 401  404   200   200 404       404     403  404
POST  /api/v1/children/{north}/identity 401  401     201   404   403 403       403     403  201
POST  /api/v1/children/{south}/identity 401  401     404   201   403 403       403     403  404
POST  /api/v1/children/{north}/family-network 401 401 201  404   403 403       403     403  201
POST  /api/v1/children/{south}/family-network 401 401 404  201   403 403       403     403  404
POST  /api/v1/children/{north}/health-assessments 401 401 201 404 403 403      403     403  201
POST  /api/v1/children/{south}/health-assessments 401 401 404 201 403 403      403     403  404
POST  /api/v1/children/{north}/allocation 401 401    403   404   403 403       403     403  200
POST  /api/v1/children/{south}/allocation 401 401    404   403   403 403       403     403  404
GET   /api/v1/tasks                     401  401     200   200   200 200       403     403  200
GET   /api/v1/tasks/{north_task}        401  401     200   404   200 200       403     403  200
GET   /api/v1/tasks/{south_task}        401  401     404   200   200 404       403     403  404
GET   /api/v1/tasks/no-such-task        401  401     404   404   404 404       403     403  404
POST  /api/v1/tasks/{north_task}/complete 401 401    200   404   403 403       403     403  403
POST  /api/v1/tasks/{north_tm_task}/complete 401 401 403   404   403 403       403     403  200
GET   /api/v1/events                    401  401     200   200   200 200       403     200  200
GET   /api/v1/tracker                   401  401     403   403   403 403       200     403  200
GET   /api/v1/openapi.json              200  200     200   200   200 200       200     200  200
GET   /api/v1/webhooks                  401  401     200   200   200 200       403     200  200
POST  /api/v1/webhooks                  401  401     201   201   201 201       403     201  201
DELETE /api/v1/webhooks/999999          401  401     404   404   404 404       403     404  404
"""

ADMIN_PAGE = """
route                  anon gone sw  tm  iro po  admin
GET  /admin/tokens     302  302  403 403 403 403 200
POST /admin/tokens     302  302  403 403 403 403 200
"""

BODIES = {
    "POST /api/v1/children/before-care": {"reference": "APB-{token}", "name": "Eddie Edge",
                                          "before_care": "edge_of_care", "known_on": "2026-03-01",
                                          "date_of_birth": "2015-06-01", "team": "North"},
    "POST /api/v1/children": {"reference": "API-{token}", "name": "Ari Api", "legal_status": "ico",
                              "date_of_birth": "2019-01-01", "looked_after_on": "2026-03-01",
                              "team": "North"},
    "PATCH /api/v1/children/{north}": {"name": "Renamed North"},
    "PATCH /api/v1/children/{south}": {"name": "Renamed South"},
    "POST /api/v1/webhooks": {"url": "http://127.0.0.1:9/hooks"},
    "POST /api/v1/children/{north}/case-events": {"kind": "placement_changed", "data": {
        "placement_type": "in_house_foster", "carers": "Jo Carer", "area": "local",
        "started_on": "2026-03-02"}},
    "POST /api/v1/children/{south}/case-events": {"kind": "placement_changed", "data": {
        "placement_type": "in_house_foster", "carers": "Jo Carer", "area": "local",
        "started_on": "2026-03-02"}},
    "POST /api/v1/children/{north}/identity": {"data": {"ethnicity": "White British", "first_language": "English"},
                                               "reason": "Recorded from the council's system"},
    "POST /api/v1/children/{south}/identity": {"data": {"ethnicity": "Black Caribbean", "religion": "Christian"},
                                               "reason": "Recorded from the council's system"},
    "POST /api/v1/children/{north}/family-network": {"data": {  # A9, E6
        "name": "Glen King", "relationship": "Maternal grandfather", "identified_on": "2026-03-02",
        "caring": "offered", "assessment": "not_assessed"}},
    "POST /api/v1/children/{south}/family-network": {"data": {
        "name": "Rose South", "relationship": "Aunt", "identified_on": "2026-03-02",
        "caring": "could_care", "assessment": "not_assessed"}},
    "POST /api/v1/children/{north}/health-assessments": {"data": {  # E25
        "kind": "initial", "held_on": "2026-03-02", "carried_out_by": "LAC nurse", "outcome": "Well."}},
    "POST /api/v1/children/{south}/health-assessments": {"data": {
        "kind": "initial", "held_on": "2026-03-02", "carried_out_by": "LAC nurse", "outcome": "Well."}},
    "POST /api/v1/children/{north}/allocation": {"team": "North", "social_worker": "sw2",
                                                 "on": "2026-03-02", "reason": "Caseload"},
    "POST /api/v1/children/{south}/allocation": {"team": "South", "social_worker": "sw_south",
                                                 "on": "2026-03-02", "reason": "Caseload"},
    "POST /api/v1/tasks/{north_task}/complete": {"data": {
        "held_on": "2026-03-02", "plan": "adoption", "contingency_plan": "Long-term fostering"}},
    "POST /api/v1/tasks/{north_tm_task}/complete": {"data": {
        "agreed_on": "2026-03-02", "support_plan": "Weekly family support"}},
}
ADMIN_FORM = {"name": "sys-{user}", "roles": ["IRO"], "teams": ["*"], "scopes": ["events:read"]}


def _rows(matrix: str, columns: list[str]) -> list[tuple]:
    lines = [line.split() for line in matrix.strip().splitlines()]
    assert lines[0][1:] == columns
    cases = []
    for method, path, *codes in lines[1:]:
        assert len(codes) == len(columns), f"{method} {path}"
        cases += [(method, path, who, int(code)) for who, code in zip(columns, codes)]
    return cases


def _issue_all(db) -> dict:
    def issue(name, roles_, teams, scopes=tokens.SCOPES):
        return tokens.issue(db, None, name=name, roles=roles_, teams=teams, scopes=list(scopes))[0]
    read = ["children:read", "tasks:read", "events:read"]
    issued = {
        "revoked": issue("revoked", [roles.SOCIAL_WORKER], ["North"]),
        "north": issue("north", [roles.SOCIAL_WORKER], ["North"]),
        "south": issue("south", [roles.SOCIAL_WORKER], ["South"]),
        "iro": issue("iro", [roles.IRO], None, read),
        "iro_north": issue("iro-north", [roles.IRO], ["North"], read),
        "manager": issue("manager", [roles.TEAM_MANAGER], ["North"], ["tracker:read", "children:read"]),
        "bare": issue("bare", [roles.SOCIAL_WORKER], ["North"], ["events:read"]),
        "tm": issue("tm-all", [roles.TEAM_MANAGER], ["North"]),
    }
    tokens.revoke(db, None, "revoked")
    return issued


def _changes(method: str) -> bool:
    return method != "GET"


READING = [c for c in _rows(MATRIX, TOKENS) if not _changes(c[0])]
DOING = [c for c in _rows(MATRIX, TOKENS) if _changes(c[0])]


@pytest.fixture(scope="module")
def shared_app():
    return make_app(Database("sqlite://"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api_council(request, tmp_path_factory):
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('api-matrix') / 'matrix.db'}")
    else:
        url = make_url(request.getfixturevalue("postgres_url"))
        with Database(url.render_as_string(hide_password=False)).engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("DROP DATABASE IF EXISTS permanence_api_matrix"))
            conn.execute(text("CREATE DATABASE permanence_api_matrix"))
        db = Database(url.set(database="permanence_api_matrix").render_as_string(hide_password=False))
    upgrade(db)
    clock.set_fixed(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    try:
        make_council(db)
        add_more_staff(db)
        places = make_places(db)
        issued = _issue_all(db)
    finally:
        clock.reset()
    yield db, places, issued
    db.dispose()


def _call(client, method, route, token, places, issued):
    headers = {} if token == "none" else {"Authorization": f"Bearer {issued[token]}"}
    path = route.format(**places)
    body = BODIES.get(f"{method} {route}")
    if body is not None:
        body = {k: v.format(token=token) if isinstance(v, str) else v for k, v in body.items()}
    return client.open(path, method=method, json=body, headers=headers)


def _check(response, expected):
    assert response.status_code == expected, response.get_data(as_text=True)[:2000]
    if expected >= 400:
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("method, route, token, expected", READING,
                         ids=[f"{m} {r} with {t}" for m, r, t, _ in READING])
def test_which_token_may_read_what(shared_app, api_council, method, route, token, expected):
    db, places, issued = api_council
    shared_app.extensions["permanence.db"] = db
    _check(_call(shared_app.test_client(), method, route, token, places, issued), expected)


@pytest.mark.parametrize("method, route, token, expected", DOING,
                         ids=[f"{m} {r} with {t}" for m, r, t, _ in DOING])
def test_which_token_may_change_what(shared_app, staff, method, route, token, expected):
    if route.endswith("/before-care"):   # A10, E18: the diagram a child before care starts on
        publish(staff, load_directory(DIAGRAMS, "before_care"), "tests")
    places = make_places(staff)
    issued = _issue_all(staff)
    shared_app.extensions["permanence.db"] = staff
    _check(_call(shared_app.test_client(), method, route, token, places, issued), expected)


ADMIN = _rows(ADMIN_PAGE, ["anon", "gone", "sw", "tm", "iro", "po", "admin"])


@pytest.mark.parametrize("method, route, user, expected", ADMIN,
                         ids=[f"{m} {r} as {u}" for m, r, u, _ in ADMIN])
def test_who_may_open_the_tokens_page(shared_app, api_council, method, route, user, expected):
    db, _places, _issued = api_council
    shared_app.extensions["permanence.db"] = db
    client = shared_app.test_client()
    if user != "anon":
        sign_in(client, user)
    if method == "GET":
        response = client.get(route)
    else:
        response = client.post(route, data={k: v.format(user=user) if isinstance(v, str) else v
                                            for k, v in ADMIN_FORM.items()})
    assert response.status_code == expected
