"""/api/v1/events (the outbox, cursor-paged, scoped as children are) and /api/v1/tracker;
tokens revoked or whose service user is disabled stop at once; on SQLite and PostgreSQL."""
from sqlalchemy import select

from engine import complete_task, staff as staff_admin, sweep, tokens
from models import ApiToken, AuditEvent

from ...conftest import set_clock
from .conftest import bearer, problem_of

PPM = {"held_on": "2026-03-10", "plan": "adoption", "contingency_plan": "Long-term fostering"}


def _all_events(client, token, limit=2) -> list[dict]:
    seen, after = [], 0
    while True:
        page = client.get(f"/api/v1/events?after={after}&limit={limit}", headers=bearer(token))
        assert page.status_code == 200, page.get_data(as_text=True)
        body = page.get_json()
        seen += body["items"]
        if body["next"] is None:
            return seen
        assert body["next"] == body["items"][-1]["id"]
        after = body["next"]


def test_the_feed_walks_the_outbox_by_cursor_within_the_tokens_teams(client, api_tokens, children):
    north = _all_events(client, api_tokens["north"])
    assert [(e["kind"], e["child_id"]) for e in north] == [
        ("child.registered", children["N-1"]), ("task.opened", children["N-1"]),
        ("child.registered", children["N-2"]), ("task.opened", children["N-2"])]
    assert [e["id"] for e in north] == sorted(e["id"] for e in north)
    everyone = _all_events(client, api_tokens["iro"], limit=200)
    assert len(everyone) == 6 and {e["child_id"] for e in everyone} == set(children.values())
    south = _all_events(client, api_tokens["south"])
    assert {e["child_id"] for e in south} == {children["S-1"]}
    assert _all_events(client, api_tokens["iro_north"]) == north


def test_the_feed_goes_on_from_where_a_system_stopped(client, api_tokens, children, staff):
    last = _all_events(client, api_tokens["north"])[-1]["id"]
    set_clock(2026, 3, 17, 0, 1)
    sweep(staff)   # N-1, N-2 and S-1 miss the initial PPM: escalated to the team managers
    new = client.get(f"/api/v1/events?after={last}", headers=bearer(api_tokens["north"])).get_json()
    kinds = [(e["kind"], e["child_id"]) for e in new["items"]]
    assert kinds == [(k, c) for c in (children["N-1"], children["N-2"])
                     for k in ("deadline.missed", "task.opened", "escalation")]
    escalation = new["items"][2]
    assert escalation["payload"]["lane"] == "Team Manager" and escalation["payload"]["rule"] == "R7"
    assert new["next"] is None


def test_a_completion_through_the_pages_appears_in_the_feed(client, api_tokens, children, staff):
    last = _all_events(client, api_tokens["north"])[-1]["id"]
    set_clock(2026, 3, 11)
    task = client.get(f"/api/v1/tasks?child_id={children['N-2']}",
                      headers=bearer(api_tokens["north"])).get_json()["items"][0]
    complete_task(staff, task["task_id"], PPM, "sw")
    new = client.get(f"/api/v1/events?after={last}", headers=bearer(api_tokens["north"])).get_json()
    assert [e["kind"] for e in new["items"]] == [
        "task.completed", "deadline.met", "task.opened", "plan.changed"]
    assert new["items"][0]["payload"]["completed_by"] == "sw"


def test_the_feed_needs_its_scope_and_a_live_token(client, api_tokens, children, staff):
    problem_of(client.get("/api/v1/events", headers=bearer(api_tokens["manager"])), 403)
    problem_of(client.get("/api/v1/events"), 401)
    problem_of(client.get("/api/v1/events", headers=bearer("pp_not-a-real-token")), 401)
    problem_of(client.get("/api/v1/events", headers={"Authorization": "Basic abc"}), 401)
    assert client.get("/api/v1/events", headers=bearer(api_tokens["bare"])).status_code == 200
    tokens.revoke(staff, "admin", "north-bare")
    revoked = problem_of(client.get("/api/v1/events", headers=bearer(api_tokens["bare"])), 401)
    assert revoked["detail"] == "This token is not valid or has been revoked"
    staff_admin.set_active(staff, "admin", "api.south-case", False)
    problem_of(client.get("/api/v1/events", headers=bearer(api_tokens["south"])), 401)


def test_only_the_tokens_hash_is_stored_and_use_is_noted(client, api_tokens, children, staff):
    client.get("/api/v1/children", headers=bearer(api_tokens["north"]))
    with staff.transaction() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.name == "north-case"))
        assert row.token_hash == tokens.hash_token(api_tokens["north"])
        assert api_tokens["north"] not in (row.token_hash, row.prefix, row.scopes)
        assert row.last_used_at is not None
        kinds = [(e.kind, e.detail.get("token")) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.kind.like("token_%")).order_by(AuditEvent.id))]
    assert ("token_issued", "north-case") in kinds and ("token_used", "north-case") in kinds


def test_the_tracker_for_a_managers_token_in_pages(client, api_tokens, children):
    first = client.get("/api/v1/tracker?limit=1", headers=bearer(api_tokens["manager"])).get_json()
    assert [r["reference"] for r in first["items"]] == ["N-1"] and first["next"] == "N-1"
    rest = client.get("/api/v1/tracker?after=N-1", headers=bearer(api_tokens["manager"])).get_json()
    assert [r["reference"] for r in rest["items"]] == ["N-2"] and rest["next"] is None
    row = rest["items"][0]
    assert (row["stage"], row["next_due_on"], row["next_rule"], row["overdue"]) == (
        row["stage"], "2026-03-16", "R7", False)
    # a social worker's token has the scope but not a manager's role: refused by the engine
    from .conftest import issue
    from workflows import roles
    app = client.application
    token = issue(app.extensions["permanence.db"], "sw-tracker", [roles.SOCIAL_WORKER], ["North"],
                  ["tracker:read"])
    body = problem_of(client.get("/api/v1/tracker", headers=bearer(token)), 403)
    assert body["detail"] == "Your role does not give you access to this report"
