"""Administrators issue, list and revoke API tokens by page (/admin/tokens, both databases)
and by command (`permanence token`); the token is shown once, only its hash is kept, and
every change is audited."""
import subprocess

from sqlalchemy import select

from models import ApiToken, AuditEvent

from ..conftest import page_text, sign_in
from ..test_cli import PERMANENCE, _env, ok, refused
from .conftest import bearer, problem_of

FORM = {"name": "mosaic", "roles": ["Social Worker"], "teams": ["North"],
        "scopes": ["children:read", "events:read"]}


def test_only_administrators_open_the_tokens_page(client):
    for username, status in (("admin", 200), ("sw", 403), ("tm", 403), ("po", 403), ("iro", 403)):
        sign_in(client, username)
        assert client.get("/admin/tokens").status_code == status, username
        assert client.post("/admin/tokens", data=FORM).status_code in (status, 403), username
        assert client.post("/admin/tokens/mosaic/revoke").status_code in (403, 302, 404)


def test_a_token_is_issued_shown_once_used_and_revoked(client, staff):
    sign_in(client, "admin")
    issued = client.post("/admin/tokens", data=FORM)
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    text = page_text(issued)
    assert "Token mosaic issued" in text and "will not be shown again" in text
    token = text.split("will not be shown again. ")[1].split()[0]
    assert token.startswith("pp_")
    listing = page_text(client.get("/admin/tokens"))
    assert token not in listing and "mosaic" in listing and "North" in listing and "Never" in listing
    api = client.application.test_client()
    assert api.get("/api/v1/children", headers=bearer(token)).status_code == 200
    assert "Never" not in page_text(client.get("/admin/tokens")).split("Issue a token")[0]
    revoked = client.post("/admin/tokens/mosaic/revoke")
    assert revoked.status_code == 302
    problem_of(api.get("/api/v1/children", headers=bearer(token)), 401)
    assert "Revoked" in page_text(client.get("/admin/tokens"))
    with staff.transaction() as s:
        stored = s.scalar(select(ApiToken).where(ApiToken.name == "mosaic"))
        assert token not in (stored.token_hash, stored.prefix)
        trail = [(e.kind, e.actor_name) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.kind.like("token_%")).order_by(AuditEvent.id))]
    assert trail == [("token_issued", "Ada Admin"), ("token_used", "mosaic (API)"),
                     ("token_revoked", "Ada Admin")]


def test_a_wrong_token_form_keeps_what_was_typed_with_errors_by_field(client, staff):
    sign_in(client, "admin")
    response = client.post("/admin/tokens", data={"name": "Mosaic System!", "roles": ["Social Worker"],
                                                  "teams": ["*"], "scopes": []})
    assert response.status_code == 400
    text = page_text(response)
    assert "Enter the system's name" in text and "Choose scopes from" in text
    assert "acts for one team: choose exactly one" in text
    assert 'value="Mosaic System!"' in response.get_data(as_text=True)
    with staff.transaction() as s:
        assert s.scalar(select(ApiToken)) is None


def test_the_token_commands(tmp_path):
    def run(*args):
        return subprocess.run([str(PERMANENCE), *args], env=_env(tmp_path), cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
    ok(run("init"))
    ok(run("team", "add", "North"))
    issued = run("token", "issue", "lcs", "--role", "IRO", "--scope", "events:read",
                 "--scope", "children:read")
    assert issued.returncode == 0 and "shown only now" in issued.stderr
    token = issued.stdout.strip()
    assert token.startswith("pp_") and len(token) > 40
    lines = refused(run("token", "issue", "lcs", "--role", "Wizard", "--scope", "everything"),
                    field_lines=3)
    assert {line.split(":")[0].strip() for line in lines[1:]} == {"name", "scopes", "roles"}
    listed = ok(run("token", "list"))
    assert "lcs" in listed and "every team" in listed and "last used never" in listed
    assert token not in listed
    assert ok(run("token", "revoke", "lcs")) == "revoked lcs\n"
    assert "REVOKED" in ok(run("token", "list"))
    refused(run("token", "revoke", "nobody"))
    db_url = _env(tmp_path)["DATABASE_URL"]
    from models import Database
    db = Database(db_url)
    with db.transaction() as s:
        kinds = [(e.kind, e.detail.get("via")) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.kind.like("token_%")).order_by(AuditEvent.id))]
    db.dispose()
    assert kinds == [("token_issued", "command line"), ("token_revoked", "command line")]
