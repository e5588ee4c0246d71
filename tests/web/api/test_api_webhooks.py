"""Webhooks against a real HTTP server on 127.0.0.1 that the test starts: events of the
token's feed arrive in order, signed, with their ids; a failure is retried after its back-off
and nothing is skipped or lost (at least once); on SQLite and PostgreSQL."""
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from engine import clock, register_child, tokens, webhooks

from ...conftest import child_details
from .conftest import bearer, problem_of


class Receiver:
    """An HTTP server that records what it is sent and answers with the next planned status."""

    def __init__(self):
        self.received, self.plan = [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.plan.pop(0) if receiver.plan else 200
                receiver.received.append((status, dict(self.headers), body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/permanence"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def _subscribe(client, token, url, kinds=None) -> dict:
    response = client.post("/api/v1/webhooks", json={"url": url, "kinds": kinds}, headers=bearer(token))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _register(db, ref, team="North", worker="sw"):
    return register_child(db, child_details(reference=ref, team=team, social_worker=worker),
                          worker, process_id="demo_pathway").child_id


def test_events_arrive_signed_in_order_and_a_failure_is_retried_after_back_off(
        client, api_tokens, staff, receiver):
    hook = _subscribe(client, api_tokens["north"], receiver.url)
    assert len(hook["secret"]) == 64 and hook["delivered_through"] == 0
    first = _register(staff, "N-1")
    _register(staff, "S-1", team="South", worker="sw_south")   # not North's: never sent
    receiver.plan = [503]
    assert webhooks.deliver(staff) == 0          # the first event fails: nothing moves on
    assert [s for s, _h, _b in receiver.received] == [503]
    [state] = client.get("/api/v1/webhooks", headers=bearer(api_tokens["north"])).get_json()["items"]
    assert (state["attempts"], state["last_error"], state["delivered_through"]) == (1, "HTTP 503", 0)
    assert webhooks.deliver(staff) == 0 and len(receiver.received) == 1   # still backing off
    clock.set_fixed(clock.now() + timedelta(seconds=31))
    assert webhooks.deliver(staff) == 2
    sent = receiver.received[1:]
    events = [json.loads(body) for _s, _h, body in sent]
    assert [(e["kind"], e["child_id"]) for e in events] == [
        ("child.registered", first), ("task.opened", first)]
    assert json.loads(receiver.received[0][2]) == events[0]        # the same event again
    for _status, headers, body in sent:
        expected = "sha256=" + hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
        assert headers["Permanence-Signature"] == expected
        assert headers["Permanence-Event-Id"] == str(json.loads(body)["id"])
    assert webhooks.deliver(staff) == 0 and len(receiver.received) == 3   # nothing twice
    [state] = client.get("/api/v1/webhooks", headers=bearer(api_tokens["north"])).get_json()["items"]
    assert (state["attempts"], state["delivered_through"]) == (0, events[-1]["id"])


def test_a_subscription_may_ask_for_some_kinds_and_can_be_removed(client, api_tokens, staff, receiver):
    hook = _subscribe(client, api_tokens["iro"], receiver.url, kinds=["child.registered"])
    _register(staff, "N-1")
    _register(staff, "S-1", team="South", worker="sw_south")
    assert webhooks.deliver(staff) == 2
    assert [json.loads(b)["kind"] for _s, _h, b in receiver.received] == ["child.registered"] * 2
    assert client.delete(f"/api/v1/webhooks/{hook['id']}",
                         headers=bearer(api_tokens["iro"])).status_code == 204
    problem_of(client.delete(f"/api/v1/webhooks/{hook['id']}", headers=bearer(api_tokens["iro"])), 404)
    _register(staff, "N-2")
    assert webhooks.deliver(staff) == 0


def test_a_revoked_tokens_webhooks_stop(client, api_tokens, staff, receiver):
    _subscribe(client, api_tokens["north"], receiver.url)
    tokens.revoke(staff, "admin", "north-case")
    _register(staff, "N-1")
    assert webhooks.deliver(staff) == 0 and receiver.received == []


def test_a_bad_address_or_kind_is_a_field_error(client, api_tokens):
    body = problem_of(client.post("/api/v1/webhooks", json={"url": "ftp://x", "kinds": ["nope"]},
                                  headers=bearer(api_tokens["north"])), 422)
    assert set(body["errors"]) == {"url", "kinds"}
    problem_of(client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1/x"},
                           headers=bearer(api_tokens["manager"])), 403)


def test_back_off_doubles_to_an_hour():
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3, 4, 10, 30)] == [
        30, 60, 120, 240, 3600, 3600]
