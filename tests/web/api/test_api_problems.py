"""Every error under /api/v1 is a problem document (RFC 9457), whatever produced it: the
token check, the engine, marshmallow, Flask's routing; pages keep their GOV.UK error pages."""
from .conftest import bearer, problem_of


def test_routing_errors_are_problems_with_their_headers(client, api_tokens):
    missing = problem_of(client.get("/api/v1/nothing-here", headers=bearer(api_tokens["iro"])), 404)
    assert missing["instance"] == "/api/v1/nothing-here"
    wrong = client.delete("/api/v1/children", headers=bearer(api_tokens["iro"]))
    problem_of(wrong, 405)
    assert set(wrong.headers["Allow"].split(", ")) >= {"GET", "POST"}
    unauthenticated = client.get("/api/v1/tasks")
    problem_of(unauthenticated, 401)
    assert unauthenticated.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_body_that_is_not_json_is_a_problem(client, api_tokens):
    body = problem_of(client.post("/api/v1/children", data="reference=1",
                                  content_type="application/x-www-form-urlencoded",
                                  headers=bearer(api_tokens["north"])), 422)
    assert body["errors"]


def test_nul_characters_are_refused_by_field_before_the_database(client, api_tokens, staff):
    body = problem_of(client.post("/api/v1/children", json={"reference": "A\x00", "team": "North"},
                                  headers=bearer(api_tokens["north"])), 400)
    assert body["errors"] == {"reference": ["Must not contain a NUL character"]}
    query = problem_of(client.get("/api/v1/tracker?after=N%00", headers=bearer(api_tokens["manager"])), 400)
    assert query["errors"] == {"after": ["Must not contain a NUL character"]}


def test_pages_keep_their_own_error_pages(client):
    from ..conftest import sign_in
    sign_in(client, "sw")
    response = client.get("/children/999999")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_csrf_does_not_apply_to_the_api_but_still_guards_the_pages(staff, api_tokens, children):
    from ..conftest import make_app, sign_in
    app = make_app(staff, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.patch(f"/api/v1/children/{children['N-1']}", json={"name": "New Name"},
                            headers=bearer(api_tokens["north"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    sign_in(client, "admin")
    page = client.post("/admin/tokens", data={"name": "mosaic", "roles": ["IRO"], "teams": ["*"],
                                              "scopes": ["events:read"]})
    assert page.status_code == 400 and b"This form has expired" in page.data   # no CSRF token
    # a session cookie never authenticates the API
    problem_of(client.get("/api/v1/children"), 401)
