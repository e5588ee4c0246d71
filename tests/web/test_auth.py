"""Signing in and out: local accounts with hashed passwords, the session cookie's flags, a
`next` that can only lead within the site, and accounts that stop working when disabled."""
import pytest
from werkzeug.security import generate_password_hash

from models import User, UserRole
from workflows import roles
from web.settings import Settings

from .conftest import FIXED, make_app, page_text, sign_in

PASSWORD = "correct horse battery"


@pytest.fixture
def with_password(staff):
    with staff.transaction() as session:
        user = session.query(User).filter_by(username="sw").one()
        user.password_hash = generate_password_hash(PASSWORD)
    return staff


def test_a_page_without_a_user_sends_them_to_sign_in_and_back(with_password, client):
    response = client.get("/children/1?tab=timeline")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/children/1?tab%3Dtimeline"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert 'name="next" value="/children/1?tab=timeline"' in page.get_data(as_text=True)
    signed_in = client.post("/sign-in", data={"username": "sw", "password": PASSWORD,
                                              "next": "/children/1?tab=timeline"})
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/children/1?tab=timeline"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(with_password, client):
    for username, password in (("sw", "wrong"), ("nobody", PASSWORD), ("tm", PASSWORD)):
        response = client.post("/sign-in", data={"username": username, "password": password})
        assert response.status_code == 400
        text = page_text(response)
        assert "There is a problem" in text
        assert "Enter a correct username and password" in text
        html = response.get_data(as_text=True)
        assert f'value="{username}"' in html          # the username is kept
        assert password not in html                    # the password never is
    assert client.get("/inbox").status_code == 302     # and nobody is signed in


def test_empty_answers_are_named_and_linked_from_the_error_summary(with_password, client):
    response = client.post("/sign-in", data={"username": " ", "password": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<a href="#username">Enter your username</a>' in html
    assert '<a href="#password">Enter your password</a>' in html
    assert page_text(response).startswith("Error: Sign in")


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/inbox",
                                      "/\\evil.example", "javascript:alert(1)"])
def test_signing_in_never_leads_off_the_site(with_password, client, next_url):
    response = client.post("/sign-in", data={"username": "sw", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response.headers["Location"] == "/inbox"


def test_signing_out_ends_the_session(client, staff):
    sign_in(client, "sw")
    assert client.get("/inbox").status_code == 200
    response = client.post("/sign-out")
    assert (response.status_code, response.headers["Location"]) == (302, "/sign-in")
    assert client.get("/inbox").status_code == 302


def test_a_disabled_account_is_signed_out_at_its_next_request(client, staff):
    sign_in(client, "sw")
    assert client.get("/inbox").status_code == 200
    with staff.transaction() as session:
        session.query(User).filter_by(username="sw").one().active = False
    assert client.get("/inbox").headers["Location"].startswith("/sign-in")


def test_a_change_of_role_is_seen_at_the_next_request(client, staff):
    """Who is asking is read from the database on every request: a role given or taken
    away changes what the next page allows and the links it shows (the service navigation
    is kept per set of roles, never per user)."""
    sign_in(client, "sw")
    inbox = client.get("/inbox").get_data(as_text=True)
    assert 'href="/dashboard"' not in inbox and client.get("/dashboard").status_code == 403
    with staff.transaction() as session:
        user_id = session.query(User).filter_by(username="sw").one().id
        session.add(UserRole(user_id=user_id, role=roles.TEAM_MANAGER))
    inbox = client.get("/inbox").get_data(as_text=True)
    assert 'href="/dashboard"' in inbox and client.get("/dashboard").status_code == 200
    with staff.transaction() as session:
        session.query(UserRole).filter_by(user_id=user_id, role=roles.TEAM_MANAGER).delete()
    inbox = client.get("/inbox").get_data(as_text=True)
    assert 'href="/dashboard"' not in inbox and client.get("/dashboard").status_code == 403


def _session_cookie(app, with_password) -> str:
    client = app.test_client()
    response = client.post("/sign-in", data={"username": "sw", "password": PASSWORD})
    assert response.status_code == 302
    [cookie] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("permanence_session=")]
    return cookie


def test_the_session_cookie_is_secure_httponly_and_same_site_lax(with_password):
    from web import create_app
    app = create_app(Settings(database_url=with_password.url, secret_key="k", clock=FIXED),
                     db=with_password)
    app.config.update(WTF_CSRF_ENABLED=False)   # not TESTING: as in production
    cookie = _session_cookie(app, with_password)
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_plain_http_needs_the_setting_and_testing_turns_secure_off(with_password):
    from web import create_app
    settings = Settings(database_url=with_password.url, secret_key="k", clock=FIXED,
                        insecure_cookies=True)
    app = create_app(settings, db=with_password)
    app.config.update(WTF_CSRF_ENABLED=False)
    cookie = _session_cookie(app, with_password)
    assert "; Secure" not in cookie and "; HttpOnly" in cookie
    assert "; Secure" not in _session_cookie(make_app(with_password), with_password)


def test_the_setting_is_read_from_the_environment(tmp_path):
    base = {"PERMANENCE_INSTANCE_DIR": str(tmp_path)}
    assert Settings.from_env(base).insecure_cookies is False
    assert Settings.from_env({**base, "PERMANENCE_INSECURE_COOKIES": "1"}).insecure_cookies is True
    with pytest.raises(ValueError, match="PERMANENCE_INSECURE_COOKIES"):
        Settings.from_env({**base, "PERMANENCE_INSECURE_COOKIES": "maybe"})
