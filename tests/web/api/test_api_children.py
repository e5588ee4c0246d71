"""/api/v1/children: list, register, show, change, position, deadlines; on SQLite and
PostgreSQL, through tokens with and without the scopes and teams each needs."""
from datetime import date

from sqlalchemy import select

from models import AuditEvent, Child, HumanTask, User

from .conftest import bearer, problem_of

NEW = {"reference": "API-1", "name": "Jamie Api", "date_of_birth": "2018-01-02",
       "legal_status": "ico", "looked_after_on": "2026-02-20", "team": "North",
       "social_worker": "sw"}


def test_a_token_lists_only_its_teams_children_in_pages(client, api_tokens, children):
    first = client.get("/api/v1/children?limit=1", headers=bearer(api_tokens["north"]))
    assert first.status_code == 200
    body = first.get_json()
    assert [c["reference"] for c in body["items"]] == ["N-1"] and body["next"] == children["N-1"]
    second = client.get(f"/api/v1/children?limit=1&after={body['next']}",
                        headers=bearer(api_tokens["north"])).get_json()
    assert second == {"items": second["items"], "next": None}   # the last page
    assert [c["reference"] for c in second["items"]] == ["N-2"]
    beyond = client.get(f"/api/v1/children?after={children['N-2']}",
                        headers=bearer(api_tokens["north"])).get_json()
    assert beyond == {"items": [], "next": None}
    bad = problem_of(client.get("/api/v1/children?limit=0&after=x",
                                headers=bearer(api_tokens["north"])), 422)
    assert set(bad["errors"]) == {"limit", "after"}
    everyone = client.get("/api/v1/children", headers=bearer(api_tokens["iro"])).get_json()
    assert [c["reference"] for c in everyone["items"]] == ["N-1", "N-2", "S-1"]
    narrowed = client.get("/api/v1/children", headers=bearer(api_tokens["iro_north"])).get_json()
    assert [c["reference"] for c in narrowed["items"]] == ["N-1", "N-2"]


def test_a_child_of_another_team_is_not_found(client, api_tokens, children):
    for token, ref in (("north", "S-1"), ("south", "N-1"), ("iro_north", "S-1")):
        for suffix in ("", "/position", "/deadlines"):
            response = client.get(f"/api/v1/children/{children[ref]}{suffix}",
                                  headers=bearer(api_tokens[token]))
            body = problem_of(response, 404)
            assert body["detail"] == f"There is no child {children[ref]} that you can see"
    problem_of(client.get("/api/v1/children/999999", headers=bearer(api_tokens["iro"])), 404)


def test_showing_a_child_is_audited_as_the_tokens_service_user(client, api_tokens, children, staff):
    response = client.get(f"/api/v1/children/{children['N-1']}", headers=bearer(api_tokens["north"]))
    assert response.status_code == 200
    shown = response.get_json()
    assert (shown["reference"], shown["team"], shown["social_worker_username"]) == ("N-1", "North", "sw")
    with staff.transaction() as s:
        viewed = s.scalars(select(AuditEvent).where(AuditEvent.kind == "viewed",
                                                    AuditEvent.child_id == children["N-1"])).all()
    assert [v.actor_name for v in viewed] == ["north-case (API)"]


def test_registering_a_child_starts_the_pathway(client, api_tokens, staff):
    response = client.post("/api/v1/children", json=NEW, headers=bearer(api_tokens["north"]))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "active"
    assert [(t["name"], t["due_on"], t["rule"]) for t in body["opened"]] == [
        ("Record initial PPM", "2026-03-06", "R7")]
    with staff.transaction() as s:
        child = s.get(Child, body["child_id"])
        assert (child.reference, child.looked_after_on) == ("API-1", date(2026, 2, 20))


def test_registration_errors_are_field_errors_and_nothing_is_written(client, api_tokens, staff, children):
    bad = dict(NEW, reference="N-1", date_of_birth="2030-01-01")
    body = problem_of(client.post("/api/v1/children", json=bad, headers=bearer(api_tokens["north"])), 422)
    assert body["errors"] == {
        "reference": ["A child with reference N-1 is already registered"],
        "date_of_birth": ["Date of birth must be today or in the past"],
        "looked_after_on": ["Date the child became looked after must be on or after their birth"]}
    schema = problem_of(client.post("/api/v1/children", json={**NEW, "legal_status": "x",
                                                              "nickname": "J"},
                                    headers=bearer(api_tokens["north"])), 422)
    assert set(schema["errors"]) == {"legal_status", "nickname"}
    other_team = problem_of(client.post("/api/v1/children", json={**NEW, "team": "South",
                                                                  "social_worker": None},
                                        headers=bearer(api_tokens["north"])), 422)
    assert other_team["errors"] == {"team": ["This token may not register children in South"]}
    with staff.transaction() as s:
        assert s.scalar(select(Child).where(Child.reference == "API-1")) is None


def test_a_read_only_token_cannot_register(client, api_tokens):
    body = problem_of(client.post("/api/v1/children", json=NEW, headers=bearer(api_tokens["iro"])), 403)
    assert body["detail"] == "This token does not have the scope children:write"


def test_reallocating_a_child_moves_their_open_social_worker_tasks(client, api_tokens, children, staff):
    url = f"/api/v1/children/{children['N-1']}"
    response = client.patch(url, json={"social_worker": "sw2", "name": "Child N-1 Renamed"},
                            headers=bearer(api_tokens["north"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["social_worker_username"] == "sw2"
    with staff.transaction() as s:
        tasks = s.scalars(select(HumanTask).where(HumanTask.child_id == children["N-1"],
                                                  HumanTask.status == "open")).all()
        sw2 = s.scalar(select(User.id).where(User.username == "sw2"))
        assert {t.assignee_id for t in tasks} == {sw2}
    wrong = problem_of(client.patch(url, json={"social_worker": "sw_south"},
                                    headers=bearer(api_tokens["north"])), 422)
    assert wrong["errors"] == {"social_worker": ["'sw_south' is not in North"]}
    dates = problem_of(client.patch(url, json={"looked_after_on": "2026-01-01"},
                                    headers=bearer(api_tokens["north"])), 422)
    assert "looked_after_on" in dates["errors"]
    problem_of(client.patch(url, json={"name": "x"}, headers=bearer(api_tokens["iro"])), 403)


def test_position_and_deadlines(client, api_tokens, children):
    url = f"/api/v1/children/{children['N-1']}"
    position = client.get(url + "/position", headers=bearer(api_tokens["iro"])).get_json()
    assert position["status"] == "active" and position["process"] == "demo_pathway"
    assert [(t["name"], t["rule"], t["overdue"]) for t in position["open_tasks"]] == [
        ("Record initial PPM", "R7", False)]
    assert position["deadlines"] == [{"label": "Initial PPM deadline", "rule": "R7",
                                      "due_on": "2026-03-16", "status": "running", "met_on": None}]
    deadlines = client.get(url + "/deadlines", headers=bearer(api_tokens["iro"])).get_json()
    assert deadlines == {"items": position["deadlines"]}


def test_A10_E18_registering_a_child_before_care_starts_no_looked_after_clock(client, api_tokens, staff):
    from engine import publish
    from workflows.diagrams import load_directory
    from ...conftest import DIAGRAMS
    publish(staff, load_directory(DIAGRAMS, "before_care"), "tests")
    unborn = {"reference": "API-UNB", "name": "Baby of Jo Api", "before_care": "unborn",
              "known_on": "2026-02-20", "expected_birth_on": "2026-05-20", "team": "North", "social_worker": "sw"}
    wrong = problem_of(client.post("/api/v1/children/before-care", json={**unborn, "date_of_birth": "2026-01-01"},
                                   headers=bearer(api_tokens["north"])), 422)
    assert wrong["errors"] == {"date_of_birth": ["An unborn baby has no date of birth yet: give the expected date"]}
    response = client.post("/api/v1/children/before-care", json=unborn, headers=bearer(api_tokens["north"]))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    # Expected on 20 May 2026: the notification and counselling are due by then (R18).
    assert {(t["name"], t["due_on"], t["rule"]) for t in body["opened"]} == {
        ("Record the notification and the counselling offered before the birth", "2026-05-20", "R18"),
        ("Record that the child became looked after, or that care is no longer considered", None, None)}
    shown = client.get(f"/api/v1/children/{body['child_id']}", headers=bearer(api_tokens["north"])).get_json()
    assert (shown["before_care"], shown["known_on"], shown["legal_status"], shown["date_of_birth"]) == (
        "unborn", "2026-02-20", "none", "2026-05-20")
