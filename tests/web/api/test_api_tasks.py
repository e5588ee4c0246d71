"""/api/v1/tasks: list, show with the form's schema and questions, complete through
engine.complete_task(strict=True); idempotency of writes; on SQLite and PostgreSQL."""
from sqlalchemy import func, select

from models import HumanTask, IdempotentResponse

from ...conftest import set_clock
from .conftest import bearer, problem_of

PPM = {"held_on": "2026-03-10", "plan": "adoption", "contingency_plan": "Long-term fostering"}


def _first_task(client, token, child_id) -> dict:
    page = client.get(f"/api/v1/tasks?child_id={child_id}", headers=bearer(token)).get_json()
    assert len(page["items"]) == 1, page
    return page["items"][0]


def test_tasks_are_listed_for_the_tokens_teams_in_pages(client, api_tokens, children):
    north = client.get("/api/v1/tasks?limit=1", headers=bearer(api_tokens["north"])).get_json()
    assert [t["child_reference"] for t in north["items"]] == ["N-1"] and north["next"]
    rest = client.get(f"/api/v1/tasks?limit=5&after={north['next']}",
                      headers=bearer(api_tokens["north"])).get_json()
    assert [t["child_reference"] for t in rest["items"]] == ["N-2"] and rest["next"] is None
    south = client.get("/api/v1/tasks", headers=bearer(api_tokens["south"])).get_json()
    assert [(t["child_reference"], t["name"], t["due_on"], t["rule"]) for t in south["items"]] == [
        ("S-1", "Record initial PPM", "2026-03-16", "R7")]
    assert client.get("/api/v1/tasks?status=completed",
                      headers=bearer(api_tokens["iro"])).get_json()["items"] == []


def test_a_task_shows_its_form_schema_and_questions(client, api_tokens, children):
    task = _first_task(client, api_tokens["north"], children["N-1"])
    shown = client.get(f"/api/v1/tasks/{task['task_id']}", headers=bearer(api_tokens["iro"])).get_json()
    assert shown["form"] == "initial-ppm.json"
    assert shown["form_schema"]["required"] == ["held_on", "plan", "contingency_plan"]
    questions = {q["name"]: q for q in shown["questions"]}
    assert questions["held_on"]["type"] == "date" and questions["held_on"]["required"]
    assert "adoption" in questions["plan"]["choices"]
    other = problem_of(client.get(f"/api/v1/tasks/{task['task_id']}",
                                  headers=bearer(api_tokens["south"])), 404)
    assert other["detail"] == f"There is no task {task['task_id']} that you can see"
    problem_of(client.get("/api/v1/tasks/not-a-task", headers=bearer(api_tokens["iro"])), 404)


def test_completing_a_task_moves_the_pathway_on(client, api_tokens, children, staff):
    set_clock(2026, 3, 11)
    task = _first_task(client, api_tokens["north"], children["N-1"])
    response = client.post(f"/api/v1/tasks/{task['task_id']}/complete", json={"data": PPM},
                           headers=bearer(api_tokens["north"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert [(t["name"], t["due_on"], t["rule"]) for t in body["opened"]] == [
        ("Record review PPM", "2026-04-21", "R8")]
    with staff.transaction() as s:
        row = s.scalar(select(HumanTask).where(HumanTask.task_id == task["task_id"]))
        assert row.status == "completed" and row.completed_by.username == "api.north-case"
    again = problem_of(client.post(f"/api/v1/tasks/{task['task_id']}/complete", json={"data": PPM},
                                   headers=bearer(api_tokens["north"])), 409)
    assert "already completed by north-case (API)" in again["detail"]


def test_answers_the_form_does_not_ask_are_refused_by_name(client, api_tokens, children):
    task = _first_task(client, api_tokens["north"], children["N-1"])
    url = f"/api/v1/tasks/{task['task_id']}/complete"
    unknown = problem_of(client.post(url, json={"data": {**PPM, "hled_on": "2026-03-01"}},
                                     headers=bearer(api_tokens["north"])), 422)
    assert list(unknown["errors"]) == ["hled_on"]
    invalid = problem_of(client.post(url, json={"data": {"held_on": "2026-13-01"}},
                                     headers=bearer(api_tokens["north"])), 422)
    assert {"held_on", "plan", "contingency_plan"} <= set(invalid["errors"])
    shape = problem_of(client.post(url, json={"answers": PPM}, headers=bearer(api_tokens["north"])), 422)
    assert set(shape["errors"]) == {"data", "answers"}
    assert _first_task(client, api_tokens["north"], children["N-1"])["task_id"] == task["task_id"]


def test_who_may_complete_is_the_engines_rule_and_the_tokens_scope(client, api_tokens, children):
    task = _first_task(client, api_tokens["north"], children["N-1"])
    url = f"/api/v1/tasks/{task['task_id']}/complete"
    no_scope = problem_of(client.post(url, json={"data": PPM}, headers=bearer(api_tokens["iro"])), 403)
    assert no_scope["detail"] == "This token does not have the scope tasks:write"
    problem_of(client.post(url, json={"data": PPM}, headers=bearer(api_tokens["south"])), 404)


def test_a_team_manager_token_cannot_do_a_social_workers_task(client, staff, children):
    from .conftest import issue
    from workflows import roles
    token = issue(staff, "tm-system", [roles.TEAM_MANAGER], ["North"])
    task = _first_task(client, token, children["N-1"])
    body = problem_of(client.post(f"/api/v1/tasks/{task['task_id']}/complete", json={"data": PPM},
                                  headers=bearer(token)), 403)
    assert body["detail"] == "'Record initial PPM' is for the Social Worker: you do not hold that role"


def test_the_same_idempotency_key_gets_the_same_answer_once(client, api_tokens, children, staff):
    set_clock(2026, 3, 11)
    task = _first_task(client, api_tokens["north"], children["N-1"])
    url = f"/api/v1/tasks/{task['task_id']}/complete"
    headers = {**bearer(api_tokens["north"]), "Idempotency-Key": "complete-1"}
    first = client.post(url, json={"data": PPM}, headers=headers)
    assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
    again = client.post(url, json={"data": dict(reversed(list(PPM.items())))}, headers=headers)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    other = problem_of(client.post(url, json={"data": {**PPM, "plan": "reunification"}},
                                   headers=headers), 422)
    assert other["errors"] == {"Idempotency-Key": ["Use a new key for a new request"]}
    with staff.transaction() as s:
        assert s.scalar(select(func.count()).select_from(HumanTask).where(
            HumanTask.child_id == children["N-1"], HumanTask.status == "completed")) == 1
    # another token's key is its own
    south = client.post(url, json={"data": PPM},
                        headers={**bearer(api_tokens["south"]), "Idempotency-Key": "complete-1"})
    assert south.status_code == 404


def test_a_refusal_is_kept_for_its_key_too(client, api_tokens, children, staff):
    headers = {**bearer(api_tokens["north"]), "Idempotency-Key": "reg-1"}
    bad = {"reference": "N-1", "name": "Dup", "date_of_birth": "2019-01-01", "legal_status": "ico",
           "looked_after_on": "2026-03-01", "team": "North"}
    first = problem_of(client.post("/api/v1/children", json=bad, headers=headers), 422)
    replay = client.post("/api/v1/children", json=bad, headers=headers)
    assert replay.status_code == 422 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == first and replay.mimetype == "application/problem+json"
    with staff.transaction() as s:
        assert s.scalar(select(func.count()).select_from(IdempotentResponse)) == 1
    blank = problem_of(client.post("/api/v1/children", json=bad,
                                   headers={**bearer(api_tokens["north"]), "Idempotency-Key": " "}), 400)
    assert "Idempotency-Key" in blank["errors"]
