"""Signing in with the council's OpenID Connect provider (issue 14, part 3), against a real
provider on 127.0.0.1 (tests/oidc_provider.py), on SQLite and PostgreSQL: groups become roles
and a team, an unknown group gets no access, a tampered state or nonce is refused, a disabled
account stays out, PKCE is used, and the session is the same as a local sign-in's."""
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from models import AuditEvent, User
from web import create_app
from web.identity import GENERATION_KEY, SEEN_KEY, SESSION_KEY
from web.oidc_settings import OidcSettings, group_mapping
from web.settings import Settings
from workflows import roles as R

from ..oidc_provider import oidc_provider
from .conftest import FIXED, page_text, sign_in

GROUPS = {"pp-north-social-workers": ((R.SOCIAL_WORKER,), "North"),
          "pp-south-managers": ((R.TEAM_MANAGER,), "South"),
          "pp-iros": ((R.IRO,), None),
          "pp-admins": ((R.ADMINISTRATOR,), None),
          "pp-social-workers": ((R.SOCIAL_WORKER,), None),
          "pp-east": ((R.SOCIAL_WORKER,), "East")}


@pytest.fixture(scope="module")
def provider():
    with oidc_provider() as running:
        yield running


def oidc_app(db, provider, **config):
    oidc = OidcSettings(issuer=provider.issuer, client_id="permanence", client_secret="s3cret",
                        provider_name="Council Entra ID", groups=GROUPS)
    app = create_app(Settings(database_url=db.url, secret_key="test", clock=FIXED,
                              process_id="demo_pathway", oidc=oidc), db=db)
    app.config.update({"TESTING": True, "WTF_CSRF_ENABLED": False, **config})
    return app


@pytest.fixture
def client(staff, provider):
    return oidc_app(staff, provider).test_client()


def start(client, provider, next_url="/inbox") -> str:
    """Press "Sign in with ...": the address the browser is sent to at the provider."""
    response = client.get("/sign-in/oidc?" + urlencode({"next": next_url}))
    assert response.status_code == 302
    authorize = response.headers["Location"]
    assert authorize.startswith(f"{provider.issuer}/oauth2/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["scope"][0].split() == ["openid", "profile", "email"]
    return authorize


def come_back(client, provider, sub: str, next_url="/inbox", tamper=None):
    """The person signs in at the provider and the browser comes back with its answer."""
    back = urlsplit(provider.approve(start(client, provider, next_url), sub))
    assert back.path == "/sign-in/oidc/callback"
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    if tamper:
        tamper(query)
    return client.get(f"{back.path}?{urlencode(query)}")


def account(db, username) -> User:
    with db.reading() as session:
        user = session.scalar(select(User).where(User.username == username))
        user.team, user.roles  # noqa: B018  (loaded before the session closes)
        return user


def audit_kinds(db, kind) -> list[dict]:
    with db.reading() as session:
        return [e.detail for e in session.scalars(
            select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.id))]


def test_the_sign_in_page_offers_the_provider_when_it_is_set_up(client, staff):
    page = client.get("/sign-in?next=/children/1")
    assert "Sign in with Council Entra ID" in page_text(page)
    assert 'href="/sign-in/oidc?next=/children/1"' in page.get_data(as_text=True)
    assert "Or sign in with a local account" in page_text(page)
    local_only = create_app(Settings(database_url=staff.url, secret_key="t", clock=FIXED),
                            db=staff).test_client()
    assert "Sign in with" not in page_text(local_only.get("/sign-in"))
    assert local_only.get("/sign-in/oidc").status_code == 404


def test_a_new_person_gets_the_roles_and_team_their_groups_map_to(client, staff, provider):
    provider.add_person("sub-nia", "nia.north", "Nia North",
                        ["pp-north-social-workers", "some-other-group"])
    response = come_back(client, provider, "sub-nia", next_url="/inbox?mine_page=1")
    assert (response.status_code, response.headers["Location"]) == (302, "/inbox?mine_page=1")
    assert client.get("/inbox").status_code == 200
    nia = account(staff, "nia.north")
    assert (nia.display_name, nia.roles, nia.team.name) == ("Nia North", {R.SOCIAL_WORKER}, "North")
    assert nia.external_id == f"{provider.issuer} sub-nia" and nia.password_hash is None
    # The token request carried the PKCE verifier (the provider refuses a wrong one).
    assert provider.pkce.token_requests[-1]["code_verifier"]
    # The session is a local sign-in's: the account, its generation, when last seen.
    with client.session_transaction() as session:
        assert session[SESSION_KEY] == nia.id and session[GENERATION_KEY] == 0
        assert isinstance(session[SEEN_KEY], int) and session.permanent
    signed_in = audit_kinds(staff, "signed_in")[-1]
    assert (signed_in["username"], signed_in["roles"], signed_in["team"]) == \
        ("nia.north", [R.SOCIAL_WORKER], "North")
    assert audit_kinds(staff, "staff_changed")[-1]["change"] == "user added"

    # The groups change at the provider: the next sign-in brings the account up to date.
    provider.add_person("sub-nia", "nia.north", "Nia North-West", ["pp-iros"])
    client.post("/sign-out")
    assert come_back(client, provider, "sub-nia").status_code == 302
    nia = account(staff, "nia.north")
    assert (nia.display_name, nia.roles, nia.team) == ("Nia North-West", {R.IRO}, None)
    change = audit_kinds(staff, "staff_changed")[-1]
    assert (change["change"], change["roles_before"], change["roles"], change["team_before"]) == \
        ("roles changed", [R.SOCIAL_WORKER], [R.IRO], "North")


def test_administrators_see_which_accounts_sign_in_with_the_provider(client, staff, provider):
    provider.add_person("sub-ike", "ike", "Ike Linked", ["pp-iros"])
    assert come_back(client, provider, "sub-ike").status_code == 302
    admin = oidc_app(staff, provider).test_client()
    sign_in(admin, "admin")
    assert "Single sign-on Signs in with the council's provider" in page_text(admin.get("/admin/staff/ike"))
    assert "Single sign-on Not used" in page_text(admin.get("/admin/staff/iro"))


def test_roles_and_a_team_from_several_groups_add_up(client, staff, provider):
    provider.add_person("sub-ola", "ola", "Ola Both", ["pp-social-workers", "pp-south-managers"])
    assert come_back(client, provider, "sub-ola").status_code == 302
    ola = account(staff, "ola")
    assert (ola.roles, ola.team.name) == ({R.SOCIAL_WORKER, R.TEAM_MANAGER}, "South")


def test_an_account_made_beforehand_is_linked_by_its_user_name(client, staff, provider):
    before = account(staff, "sw")
    provider.add_person("sub-sam", "sw", "Sam Worker", ["pp-north-social-workers"])
    assert come_back(client, provider, "sub-sam").status_code == 302
    after = account(staff, "sw")
    assert after.id == before.id and after.external_id == f"{provider.issuer} sub-sam"
    assert audit_kinds(staff, "staff_changed")[-1]["change"] == "linked to single sign-on"
    # Another identity at the provider with the same name cannot take the account over.
    provider.add_person("sub-impostor", "sw", "Someone Else", ["pp-admins"])
    refused = come_back(oidc_app(staff, provider).test_client(), provider, "sub-impostor")
    assert refused.status_code == 403
    assert "belongs to another person's account" in page_text(refused)
    assert account(staff, "sw").roles == {R.SOCIAL_WORKER}


def test_someone_in_no_mapped_group_gets_no_access_and_a_clear_page(client, staff, provider):
    provider.add_person("sub-fin", "fin.ance", "Fin Ance", ["finance", "all-staff"])
    response = come_back(client, provider, "sub-fin")
    assert response.status_code == 403
    text = page_text(response)
    assert text.startswith("You cannot sign in")
    assert "not in any group that gives access to this service" in text
    assert "Ask your administrator" in text
    assert client.get("/inbox").status_code == 302          # nobody is signed in
    with staff.reading() as session:
        assert session.scalar(select(User).where(User.username == "fin.ance")) is None
    refusal = audit_kinds(staff, "sign_in_refused")[-1]
    assert (refusal["reason"], refusal["username"], refusal["groups"]) == \
        ("no_group", "fin.ance", ["finance", "all-staff"])


@pytest.mark.parametrize("groups, reason, words", [
    (["pp-north-social-workers", "pp-south-managers"], "several_teams", "more than one team (North and South)"),
    (["pp-social-workers"], "no_team", "give you no team"),
    (["pp-east"], "unknown_team", "the team 'East', which this service does not have"),
])
def test_groups_that_do_not_make_sense_here_are_refused_with_the_reason(
        client, staff, provider, groups, reason, words):
    provider.add_person(f"sub-{reason}", f"odd.{reason}".replace("_", "-"), "Odd One", groups)
    response = come_back(client, provider, f"sub-{reason}")
    assert response.status_code == 403 and words in page_text(response)
    assert audit_kinds(staff, "sign_in_refused")[-1]["reason"] == reason
    assert client.get("/inbox").status_code == 302


def test_a_tampered_state_is_refused(client, staff, provider):
    provider.add_person("sub-tam", "tam", "Tam Per", ["pp-iros"])
    requests_before = len(provider.pkce.token_requests)
    response = come_back(client, provider, "sub-tam",
                         tamper=lambda query: query.update(state=query["state"][:-2] + "xx"))
    assert response.status_code == 400
    assert "This sign-in did not start here, or it has expired" in page_text(response)
    assert client.get("/inbox").status_code == 302
    assert len(provider.pkce.token_requests) == requests_before   # the code was never used
    # An answer from the provider that this browser never asked for is refused the same way.
    stranger = oidc_app(staff, provider).test_client()
    forged = stranger.get("/sign-in/oidc/callback?code=abc&state=made-up")
    assert forged.status_code == 400 and "did not start here" in page_text(forged)


def test_an_id_token_for_another_sign_in_is_refused_by_its_nonce(client, staff, provider):
    """The state matches but the nonce kept with it does not: the ID token was issued for
    another request (a replayed token), and Authlib's check refuses it."""
    provider.add_person("sub-non", "non.ce", "Non Ce", ["pp-iros"])
    back = urlsplit(provider.approve(start(client, provider), "sub-non"))
    with client.session_transaction() as session:
        for key in [k for k in session if k.startswith("_state_council_")]:
            kept = dict(session[key])
            kept["data"] = {**kept["data"], "nonce": "another-request"}
            session[key] = kept
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 400
    assert "did not confirm who you are" in page_text(response)
    assert client.get("/inbox").status_code == 302


def test_a_disabled_account_cannot_sign_in_whatever_its_groups(client, staff, provider):
    provider.add_person("sub-gus", "gone", "Gus Gone", ["pp-north-social-workers", "pp-admins"])
    response = come_back(client, provider, "sub-gus")
    assert response.status_code == 403
    assert "Your account in this service has been disabled" in page_text(response)
    assert client.get("/inbox").status_code == 302
    gone = account(staff, "gone")
    assert not gone.active and gone.roles == {R.SOCIAL_WORKER}   # nothing changed
    assert audit_kinds(staff, "sign_in_refused")[-1]["reason"] == "disabled"


def test_a_refusal_at_the_provider_is_explained(client, provider):
    start(client, provider)
    response = client.get("/sign-in/oidc/callback?error=access_denied&state=x")
    assert response.status_code == 400
    assert "You did not finish signing in with Council Entra ID" in page_text(response)


def test_the_session_keeps_its_protections_after_single_sign_on(staff, provider):
    client = oidc_app(staff, provider, WTF_CSRF_ENABLED=True).test_client()
    provider.add_person("sub-csrf", "cee.surf", "Cee Surf", ["pp-iros"])
    assert come_back(client, provider, "sub-csrf").status_code == 302
    assert client.post("/sign-out").status_code == 400          # CSRF: no token, refused
    with client.session_transaction() as session:
        copied = dict(session)
    page = client.get("/inbox").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    with client.session_transaction() as session:   # a copy of the old cookie is refused
        session.update(copied)
    assert client.get("/inbox").status_code == 302
    # The idle limit ends a single sign-on session as it ends any other.
    assert come_back(client, provider, "sub-csrf").status_code == 302
    with client.session_transaction() as session:
        session[SEEN_KEY] -= 31 * 60
    assert "idle=1" in client.get("/inbox").headers["Location"]


def test_the_group_mapping_setting_is_checked_at_start_up(tmp_path):
    assert group_mapping('{"g": {"roles": ["IRO"]}}') == {"g": (("IRO",), None)}
    mapping_file = tmp_path / "groups.json"
    mapping_file.write_text(json.dumps({"g": {"roles": ["Social Worker"], "team": "North"}}))
    assert group_mapping(str(mapping_file)) == {"g": (("Social Worker",), "North")}
    for text, words in [("", "set PERMANENCE_OIDC_GROUPS"), ("{", "not valid JSON"),
                        ('{"g": {"roles": ["Wizard"]}}', "there is no role Wizard"),
                        ('{"g": {"roles": []}}', "give its roles as a list"),
                        ('{"g": {"roles": ["IRO"], "tem": "x"}}', "give {\"roles\""),
                        ("/no/such/file.json", "neither JSON nor a file")]:
        with pytest.raises(ValueError, match="PERMANENCE_OIDC_GROUPS") as refused:
            group_mapping(text)
        assert words in str(refused.value)
    env = {"PERMANENCE_OIDC_ISSUER": "https://login.example/tenant/v2.0",
           "PERMANENCE_INSTANCE_DIR": str(tmp_path)}
    with pytest.raises(ValueError, match="PERMANENCE_OIDC_CLIENT_ID"):
        Settings.from_env(env)
    settings = Settings.from_env({**env, "PERMANENCE_OIDC_CLIENT_ID": "c",
                                  "PERMANENCE_OIDC_GROUPS": '{"g": {"roles": ["IRO"]}}'})
    assert settings.oidc.metadata_url == \
        "https://login.example/tenant/v2.0/.well-known/openid-configuration"
    assert Settings.from_env({"PERMANENCE_INSTANCE_DIR": str(tmp_path)}).oidc is None
