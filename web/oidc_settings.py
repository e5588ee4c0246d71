"""The OpenID Connect settings: which provider, which client, and what its groups give here.
Read with the other settings at start-up, so a mistake in the group mapping stops the service
with a message rather than refusing people one by one. Only the standard library here: every
`permanence` command reads the settings.

PERMANENCE_OIDC_ISSUER         the provider's issuer URL (its discovery document is at
                               ISSUER/.well-known/openid-configuration); unset: local accounts only
PERMANENCE_OIDC_CLIENT_ID      this service's client id at the provider
PERMANENCE_OIDC_CLIENT_SECRET  its client secret (unset: a public client, PKCE only)
PERMANENCE_OIDC_NAME           the provider's name on the sign-in button ("Sign in with ...")
PERMANENCE_OIDC_GROUPS         the group mapping: JSON, or the path of a JSON file, e.g.
    {"pp-north-social-workers": {"roles": ["Social Worker"], "team": "North"},
     "pp-iros": {"roles": ["IRO"]}}
PERMANENCE_OIDC_GROUPS_CLAIM   the ID token claim holding the groups (default `groups`)
PERMANENCE_OIDC_USERNAME_CLAIM the claim the user name is read from (default `preferred_username`)
PERMANENCE_OIDC_REDIRECT_URI   the callback address registered at the provider, when the
                               service sits behind a proxy (default: built from the request)
"""
import json
from dataclasses import dataclass
from pathlib import Path

from workflows import roles as R


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str | None
    provider_name: str
    groups: dict            # group -> engine.single_sign_on.GroupGrant, as plain tuples here
    groups_claim: str = "groups"
    username_claim: str = "preferred_username"
    redirect_uri: str | None = None

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def oidc_from_env(environ) -> OidcSettings | None:
    issuer = (environ.get("PERMANENCE_OIDC_ISSUER") or "").strip()
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ValueError("PERMANENCE_OIDC_ISSUER must be an https:// address")
    client_id = (environ.get("PERMANENCE_OIDC_CLIENT_ID") or "").strip()
    if not client_id:
        raise ValueError("PERMANENCE_OIDC_ISSUER is set: set PERMANENCE_OIDC_CLIENT_ID too")
    return OidcSettings(
        issuer=issuer, client_id=client_id,
        client_secret=(environ.get("PERMANENCE_OIDC_CLIENT_SECRET") or "").strip() or None,
        provider_name=(environ.get("PERMANENCE_OIDC_NAME") or "").strip() or "your council account",
        groups=group_mapping(environ.get("PERMANENCE_OIDC_GROUPS") or ""),
        groups_claim=(environ.get("PERMANENCE_OIDC_GROUPS_CLAIM") or "").strip() or "groups",
        username_claim=(environ.get("PERMANENCE_OIDC_USERNAME_CLAIM") or "").strip()
        or "preferred_username",
        redirect_uri=(environ.get("PERMANENCE_OIDC_REDIRECT_URI") or "").strip() or None)


def group_mapping(text: str) -> dict[str, tuple[tuple[str, ...], str | None]]:
    """`{group: {"roles": [...], "team": "North"}}` checked: every role known, a team a name.
    (A team may come from another group: the roles and team of all a person's groups add up.)
    Returns {group: (roles, team)}."""
    name = "PERMANENCE_OIDC_GROUPS"
    text = text.strip()
    if not text:
        raise ValueError(f"PERMANENCE_OIDC_ISSUER is set: set {name} to map the provider's "
                         "groups to roles and teams (see README, Settings)")
    if not text.startswith("{"):
        path = Path(text)
        if not path.is_file():
            raise ValueError(f"{name}: {text} is neither JSON nor a file")
        text = path.read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"{name} must be a JSON object of groups")
    mapping = {}
    for group, grant in raw.items():
        where = f"{name}, group {group!r}"
        if not isinstance(grant, dict) or set(grant) - {"roles", "team"}:
            raise ValueError(f"{where}: give {{\"roles\": [...], \"team\": ...}}")
        roles = grant.get("roles")
        if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
            raise ValueError(f"{where}: give its roles as a list")
        unknown = [r for r in roles if r not in R.ALL_ROLES]
        if unknown:
            raise ValueError(f"{where}: there is no role {', '.join(unknown)} "
                             f"(roles: {', '.join(R.ALL_ROLES)})")
        team = grant.get("team")
        if team is not None and (not isinstance(team, str) or not team.strip()):
            raise ValueError(f"{where}: the team must be a team's name")
        mapping[str(group)] = (tuple(roles), team.strip() if team else None)
    return mapping
