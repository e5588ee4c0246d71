"""Sign-in safety (issue 8, section 4), on SQLite and PostgreSQL: repeated failures are
throttled per account and per address across processes (they are counted in the database),
unknown names cost the same password-hash work as known ones, signing out ends the session on
the server (a replayed cookie is refused), an idle session ends, and every request has a size
limit with a clear 413 page."""
import time
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.security import generate_password_hash

from engine import open_tasks, register_child
from models import SignInFailure, User
from web import auth, identity

from ..conftest import child_details
from .conftest import make_app, page_text, sign_in

PASSWORD = "correct horse battery"


@pytest.fixture
def with_password(staff):
    with staff.transaction() as session:
        for user in session.query(User).filter(User.username.in_(["sw", "tm"])):
            user.password_hash = generate_password_hash(PASSWORD)
    return staff


def _try(client, username, password, address="10.0.0.1"):
    return client.post("/sign-in", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_an_account_is_throttled_after_repeated_failures_even_with_the_right_password(with_password):
    client = make_app(with_password).test_client()
    for _ in range(auth.THROTTLE.per_account):
        assert _try(client, "sw", "wrong").status_code == 400
    refused = _try(client, "sw", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed attempts to sign in. Wait 15 minutes" in page_text(refused)
    # Another account from another address is not held up by it.
    assert _try(client, "tm", PASSWORD, address="10.0.0.2").status_code == 302


def test_the_throttle_is_shared_by_every_process_and_ages_out(with_password):
    """Two apps on one database stand for two web processes."""
    first, second = make_app(with_password).test_client(), make_app(with_password).test_client()
    for n in range(auth.THROTTLE.per_account):
        _try(first if n % 2 else second, "SW ", "wrong")  # the name as typed, any case
    assert _try(second, "sw", PASSWORD).status_code == 429
    with with_password.transaction() as session:  # a quarter of an hour later
        for failure in session.query(SignInFailure):
            failure.failed_at = datetime.now(timezone.utc) - timedelta(minutes=16)
    assert _try(first, "sw", PASSWORD).status_code == 302


def test_an_address_is_throttled_across_accounts_known_or_not(with_password):
    client = make_app(with_password).test_client()
    for n in range(auth.THROTTLE.per_address):
        _try(client, f"guess{n}", "wrong", address="203.0.113.9")
    assert _try(client, "sw", PASSWORD, address="203.0.113.9").status_code == 429
    assert _try(client, "sw", PASSWORD, address="198.51.100.1").status_code == 302


def test_a_success_clears_the_account_s_failures(with_password):
    client = make_app(with_password).test_client()
    for _ in range(auth.THROTTLE.per_account - 1):
        _try(client, "sw", "wrong")
    assert _try(client, "sw", PASSWORD).status_code == 302
    client.post("/sign-out")
    for _ in range(auth.THROTTLE.per_account - 1):
        _try(client, "sw", "wrong")
    assert _try(client, "sw", PASSWORD).status_code == 302


def test_unknown_and_disabled_names_cost_the_same_hash_work_as_known_ones(with_password, monkeypatch):
    checked = []
    real = identity.check_password_hash
    monkeypatch.setattr(identity, "check_password_hash",
                        lambda stored, given: checked.append(stored.split("$")[0]) or real(stored, given))
    client = make_app(with_password).test_client()
    for name in ("sw", "nobody-by-this-name", "gone", "iro"):  # known; unknown; disabled; no password
        checked.clear()
        assert _try(client, name, "wrong").status_code == 400
        assert checked == [generate_password_hash("x").split("$")[0]], name


def test_signing_out_refuses_the_same_cookie_replayed(with_password):
    client = make_app(with_password).test_client()
    assert _try(client, "sw", PASSWORD).status_code == 302
    cookie = client.get_cookie("permanence_session").value
    assert client.get("/inbox").status_code == 200
    client.post("/sign-out")
    replay = make_app(with_password).test_client()
    replay.set_cookie("permanence_session", cookie)
    response = replay.get("/inbox")
    assert response.status_code == 302 and response.location.startswith("/sign-in")
    # Signing in again works, with a new cookie.
    assert _try(client, "sw", PASSWORD).status_code == 302
    assert client.get("/inbox").status_code == 200


def test_an_idle_session_ends_and_the_sign_in_page_says_why(staff):
    client = make_app(staff).test_client()
    sign_in(client, "sw")
    with client.session_transaction() as flask_session:
        flask_session[identity.SEEN_KEY] = int(time.time()) - 29 * 60
    assert client.get("/inbox").status_code == 200   # used within the 30 minutes: still in
    with client.session_transaction() as flask_session:
        flask_session[identity.SEEN_KEY] = int(time.time()) - 31 * 60
    response = client.get("/inbox")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=/inbox&idle=1")
    page = client.get(response.location)
    assert "You were signed out because you had not used the service for a while" in page_text(page)
    assert client.get("/inbox").status_code == 302   # and the session is gone


def _session_cookie_sent(response) -> bool:
    return any(h.startswith("permanence_session=") for h in response.headers.getlist("Set-Cookie"))


def test_the_session_cookie_is_sent_again_when_the_session_changes_not_on_every_page(staff):
    """Issue 15: re-signing an unchanged cookie on every page was a fixed cost of every
    request; the cookie still rolls on with the stamp of the last use, once a minute."""
    client = make_app(staff).test_client()
    sign_in(client, "sw")
    client.get("/inbox")
    assert not _session_cookie_sent(client.get("/inbox"))   # used this minute: nothing new
    with client.session_transaction() as flask_session:
        flask_session[identity.SEEN_KEY] = int(time.time()) - 2 * 60
    renewed = client.get("/inbox")
    assert renewed.status_code == 200 and _session_cookie_sent(renewed)
    with client.session_transaction() as flask_session:   # the new stamp is what was sent
        assert time.time() - flask_session[identity.SEEN_KEY] < 60
    extended = client.post("/session/extend")
    assert extended.status_code == 204 and _session_cookie_sent(extended)   # "Stay signed in"


def test_the_idle_time_is_a_setting(staff):
    app = make_app(staff)
    app.config["PERMANENCE"] = app.config["PERMANENCE"].__class__(
        **{**app.config["PERMANENCE"].__dict__, "session_idle_minutes": 5})
    client = app.test_client()
    sign_in(client, "sw")
    with client.session_transaction() as flask_session:
        flask_session[identity.SEEN_KEY] = int(time.time()) - 6 * 60
    assert client.get("/inbox").status_code == 302


def test_every_page_has_a_request_size_limit_with_a_clear_page(staff):
    child = register_child(staff, child_details(), "sw", process_id="demo_pathway")
    [task] = open_tasks(staff, child_id=child.child_id)
    client = make_app(staff).test_client()
    sign_in(client, "sw")
    for url in ("/sign-in", "/children/new", f"/tasks/{task['task_id']}"):
        response = client.post(url, data={"notes": "x" * 1_100_000})
        assert response.status_code == 413, url
        assert "What you sent is too large" in page_text(response)
