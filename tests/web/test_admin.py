"""The administrators' staff pages: only administrators may use them (every other kind of
user, on SQLite and PostgreSQL, is refused), and an administrator adds a team and a member of
staff, corrects their roles, and disables them, which stops their session at once."""
import pytest
from sqlalchemy import select

from models import AuditEvent

from .conftest import sign_in

USERS = ["anon", "gone", "sw", "sw2", "tm", "sw_south", "tm_south", "iro", "chair",
         "paneladmin", "adm", "legal", "sm", "hos", "po", "admin"]
ROUTES = [("GET", "/admin/staff", 200), ("GET", "/admin/staff/new", 200),
          ("GET", "/admin/staff/sw", 200), ("GET", "/admin/staff/nobody", 404),
          ("POST", "/admin/teams", 302), ("POST", "/admin/staff/new", 302),
          ("POST", "/admin/staff/sw2", 302)]
BODIES = {"/admin/teams": {"name": "East {user}"},
          "/admin/staff/new": {"username": "new.{user}", "display_name": "Nia New",
                               "roles": "IRO"},
          "/admin/staff/sw2": {"action": "roles", "roles": "Social Worker", "team": "North"}}


@pytest.mark.parametrize("method, route, admin_code", ROUTES)
def test_only_administrators_may_use_the_staff_pages(app, method, route, admin_code):
    """Every kind of user in turn (one council per route and database, as building one is
    the slow part): administrators as given, anon and the disabled gone sent to sign in,
    everyone else refused."""
    wrong = []
    for user in USERS:
        client = app.test_client()
        if user != "anon":
            sign_in(client, user)
        body = {k: v.format(user=user) for k, v in BODIES.get(route, {}).items()}
        response = client.get(route) if method == "GET" else client.post(route, data=body)
        expected = {"anon": 302, "gone": 302, "admin": admin_code}.get(user, 403)
        if response.status_code != expected:
            wrong.append((user, response.status_code, expected))
    assert wrong == []


def test_an_administrator_adds_corrects_and_disables_a_member_of_staff(client, staff):
    sign_in(client, "admin")
    page = client.post("/admin/teams", data={"name": "Children in Care East"}, follow_redirects=True)
    assert "Team Children in Care East added" in page.get_data(as_text=True)

    # Mistakes come back by field with what was typed kept (never the password).
    bad = client.post("/admin/staff/new", data={
        "username": "Nia Okafor", "display_name": "Nia Okafor", "roles": "Social Worker",
        "password": "short"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Enter a sign-in name of 2 to 80 lower-case letters" in html
    assert "Select a team: social workers and team managers" in html
    assert "Enter a password of at least 12 characters" in html
    assert 'value="Nia Okafor"' in html and "short" not in html
    assert 'href="#username"' in html and 'href="#team"' in html  # the error summary's links

    ok = client.post("/admin/staff/new", data={
        "username": "nia.okafor", "display_name": "Nia Okafor", "roles": "Social Worker",
        "team": "Children in Care East", "password": "a long enough password"},
        follow_redirects=True)
    assert "Nia Okafor can now be given work" in ok.get_data(as_text=True)

    # She signs in with her password ...
    nia = client.application.test_client()
    signed_in = nia.post("/sign-in", data={"username": "nia.okafor",
                                           "password": "a long enough password"})
    assert signed_in.status_code == 302 and nia.get("/inbox").status_code == 200

    # ... is made a team manager as well ...
    client.post("/admin/staff/nia.okafor", data={
        "action": "roles", "roles": ["Social Worker", "Team Manager"],
        "team": "Children in Care East"})
    assert "Social Worker, Team Manager" in client.get("/admin/staff").get_data(as_text=True)

    # ... and, disabled, her open session stops working at the next click.
    client.post("/admin/staff/nia.okafor", data={"action": "disable"})
    assert nia.get("/inbox").headers["Location"].startswith("/sign-in")

    # An administrator cannot disable themselves.
    own = client.post("/admin/staff/admin", data={"action": "disable"})
    assert own.status_code == 400 and "You cannot disable your own account" in own.get_data(as_text=True)

    with staff.transaction() as session:
        changes = [(e.detail["change"], e.actor_name) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "staff_changed").order_by(AuditEvent.id))]
    assert changes == [("team added", "Ada Admin"), ("user added", "Ada Admin"),
                       ("roles changed", "Ada Admin"), ("user disabled", "Ada Admin")]


def test_C7_C8_an_administrator_adds_a_practice_lead_to_a_team(client, staff):
    """The Practice Lead (HAL §4, ToR) is a team role, like the team manager: it needs a team."""
    sign_in(client, "admin")
    form = client.get("/admin/staff/new").get_data(as_text=True)
    assert 'value="Practice Lead"' in form
    bad = client.post("/admin/staff/new", data={"username": "pia.lead", "display_name": "Pia Lead",
                                                "roles": "Practice Lead", "password": "a long enough password"})
    assert bad.status_code == 400 and "Select a team" in bad.get_data(as_text=True)
    ok = client.post("/admin/staff/new", data={"username": "pia.lead", "display_name": "Pia Lead",
                                               "roles": "Practice Lead", "team": "North",
                                               "password": "a long enough password"}, follow_redirects=True)
    assert "Pia Lead can now be given work" in ok.get_data(as_text=True)
    assert "Practice Lead" in client.get("/admin/staff").get_data(as_text=True)
