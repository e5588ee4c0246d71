"""`permanence user ...` and `permanence team ...`: an administrator sets up a council's staff
from a shell, every change checked and audited, a disabled account stopped at once."""
import json
import subprocess

from sqlalchemy import select

from models import AuditEvent, Database

from .test_cli import PERMANENCE, _env, ok, refused


def run(folder, *args, stdin: str = ""):
    return subprocess.run([str(PERMANENCE), *args], env=_env(folder), cwd=folder, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_an_administrator_sets_up_teams_and_staff_from_the_shell(tmp_path):
    ok(run(tmp_path, "init"))
    assert ok(run(tmp_path, "team", "add", "Children in Care East")) == "added team Children in Care East\n"
    [line] = refused(run(tmp_path, "team", "add", "children in care east"), field_lines=1)[1:]
    assert "There is already a team called children in care east" in line

    out = ok(run(tmp_path, "user", "add", "Nia.Okafor", "--name", "Nia Okafor",
                 "--role", "Social Worker", "--team", "Children in Care East", "--password-stdin",
                 stdin="a long enough password\n"))
    assert out == "added nia.okafor\n"
    # A social worker needs a team; a role must exist; a password must be long enough.
    lines = refused(run(tmp_path, "user", "add", "sam", "--name", "Sam", "--role", "Social Worker",
                        "--role", "Wizard", "--password-stdin", stdin="short\n"), field_lines=3)
    assert {line.split(":")[0].strip() for line in lines[1:]} == {"roles", "team", "password"}
    lines = refused(run(tmp_path, "user", "add", "sam", "--name", "Sam", "--role", "Social Worker"),
                    field_lines=1)
    assert "Select a team" in lines[1]

    ok(run(tmp_path, "user", "add", "root.admin", "--name", "Rita Root", "--role", "Administrator"))
    users = {u["username"]: u for u in json.loads(ok(run(tmp_path, "user", "list", "--json")))}
    assert users["nia.okafor"] == {"username": "nia.okafor", "display_name": "Nia Okafor",
                                   "roles": ["Social Worker"], "team": "Children in Care East",
                                   "active": True, "can_sign_in_locally": True,
                                   "single_sign_on": False}
    assert users["root.admin"]["can_sign_in_locally"] is False

    ok(run(tmp_path, "user", "roles", "nia.okafor", "--role", "Team Manager", "--role", "IRO",
           "--team", "Children in Care East"))
    ok(run(tmp_path, "user", "disable", "nia.okafor"))
    # The only administrator cannot be disabled or lose the role.
    assert "the only active administrator" in refused(
        run(tmp_path, "user", "disable", "root.admin"), field_lines=1)[1]
    assert "the only active administrator" in refused(
        run(tmp_path, "user", "roles", "root.admin", "--role", "IRO"), field_lines=1)[1]
    assert refused(run(tmp_path, "user", "disable", "nobody")) == [
        "error: There is no account called nobody"]
    teams = json.loads(ok(run(tmp_path, "team", "list", "--json")))
    assert {"name": "Children in Care East", "members": 0} in teams  # Nia is disabled

    db = Database(_env(tmp_path)["DATABASE_URL"])
    with db.transaction() as session:
        changes = [(e.detail["change"], e.detail.get("username") or e.detail.get("team"),
                    e.actor_name, e.detail["via"])
                   for e in session.scalars(select(AuditEvent).where(AuditEvent.kind == "staff_changed")
                                            .order_by(AuditEvent.id))]
    db.dispose()
    assert changes == [
        ("team added", "Children in Care East", "system", "command line"),
        ("user added", "nia.okafor", "system", "command line"),
        ("user added", "root.admin", "system", "command line"),
        ("roles changed", "nia.okafor", "system", "command line"),
        ("user disabled", "nia.okafor", "system", "command line"),
    ]
