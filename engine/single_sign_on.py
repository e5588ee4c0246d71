"""Signing in through the council's OpenID Connect provider (Microsoft Entra ID and the like):
the local account an identity becomes, with the roles and team its groups give.

The web layer (web/oidc.py) checks the provider's answer (state, nonce, PKCE, the ID token's
signature); this module decides what that identity may do here, in one transaction:
- the provider's groups are mapped to roles and a team by the council's setting
  (`PERMANENCE_OIDC_GROUPS`); a person in no mapped group gets no access;
- the local account is found by its identity at the provider (`User.external_id`), or by
  its user name the first time (an account an administrator made beforehand), created if
  there is none, and brought up to date with the groups at every sign-in;
- a disabled account stays disabled: the provider cannot switch it back on;
- every sign-in, refusal and change is audited.
"""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from models import Database, Team, User, UserRole
from workflows import roles as R

from . import audit, clock
from .errors import EngineError
from .staff import STAFF_CHANGED, USERNAME

SIGNED_IN = "signed_in"
SIGN_IN_REFUSED = "sign_in_refused"
VIA = "single sign-on"


@dataclass(frozen=True)
class GroupGrant:
    """What membership of one of the provider's groups gives here."""
    roles: tuple[str, ...]
    team: str | None = None


@dataclass(frozen=True)
class Identity:
    """Who the provider says signed in: its verified ID token's claims, read by the settings."""
    issuer: str
    subject: str
    username: str
    display_name: str
    groups: tuple[str, ...]

    @property
    def external_id(self) -> str:
        return f"{self.issuer} {self.subject}"


class SignInRefused(EngineError):
    """The provider vouched for the person, but they may not use this service (yet). The
    message says why and what to do, for the page that refuses them."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


def identity_from_claims(issuer: str, claims: dict, *, groups_claim: str,
                         username_claim: str) -> Identity:
    """The identity in an ID token's claims. The user name is the claim's part before any
    `@` (Entra's `preferred_username` is the person's email-like UPN), in lower case."""
    subject = str(claims.get("sub") or "")
    raw_name = str(claims.get(username_claim) or claims.get("email") or "").strip().lower()
    username = raw_name.split("@", 1)[0]
    if not subject or not USERNAME.fullmatch(username):
        raise SignInRefused(
            "no_username", f"Your account at the sign-in service has no usable user name "
            f"(its '{username_claim}' is '{raw_name or 'missing'}'): ask your administrator.")
    groups = claims.get(groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    display_name = str(claims.get("name") or "").strip()[:120] or username
    return Identity(issuer, subject, username, display_name,
                    tuple(str(g) for g in groups if isinstance(g, (str, int))))


def sign_in(db: Database, identity: Identity, mapping: dict[str, GroupGrant]) -> int:
    """The id of the local account `identity` signs in as, created or updated from its
    groups. Raises SignInRefused (and audits the refusal) if it may not sign in."""
    try:
        with db.transaction() as session:
            roles, team = _grant(session, identity, mapping)
            user = _account(session, identity)
            if user is None:
                user = _create(session, identity, roles, team)
            else:
                _update(session, user, identity, roles, team)
            audit.record(session, SIGNED_IN, clock.now(), actor=user, via=VIA,
                         username=user.username, issuer=identity.issuer,
                         subject=identity.subject, groups=list(identity.groups),
                         roles=sorted(roles), team=team.name if team else None)
            return user.id
    except SignInRefused as refused:
        with db.transaction() as session:
            audit.record(session, SIGN_IN_REFUSED, clock.now(), via=VIA, reason=refused.reason,
                         username=identity.username, issuer=identity.issuer,
                         subject=identity.subject, groups=list(identity.groups))
        raise


def _grant(session: Session, identity: Identity, mapping: dict[str, GroupGrant]):
    """The roles and the team the identity's mapped groups give, or why they give none."""
    grants = [mapping[g] for g in identity.groups if g in mapping]
    if not grants:
        raise SignInRefused("no_group", "Your account is not in any group that gives access to "
                            "this service. Ask your administrator to add you to the right group.")
    roles = frozenset(role for grant in grants for role in grant.roles)
    team_names = sorted({grant.team for grant in grants if grant.team})
    if len(team_names) > 1:
        raise SignInRefused("several_teams", "Your groups put you in more than one team ("
                            + " and ".join(team_names) + "). Ask your administrator to leave "
                            "you in the groups of one team.")
    team = None
    if team_names:
        team = session.scalar(select(Team).where(func.lower(Team.name) == team_names[0].lower()))
        if team is None:
            raise SignInRefused("unknown_team", f"Your group gives you the team "
                                f"'{team_names[0]}', which this service does not have. Ask "
                                "your administrator to add the team.")
    elif roles & R.TEAM_SCOPED_ROLES:
        raise SignInRefused("no_team", "Your groups make you a social worker or team manager "
                            "but give you no team. Ask your administrator to add you to your "
                            "team's group.")
    return roles, team


def _account(session: Session, identity: Identity) -> User | None:
    """The local account of this identity: linked before, or of the same user name and not
    linked to anyone else. A disabled account is refused here, whatever the groups say."""
    query = select(User).options(joinedload(User.team))
    user = session.scalar(query.where(User.external_id == identity.external_id))
    if user is None:
        user = session.scalar(query.where(User.username == identity.username))
        if user is not None and user.external_id is not None:
            raise SignInRefused("name_taken", f"The user name {identity.username} belongs to "
                                "another person's account here. Ask your administrator.")
    if user is not None and not user.active:
        raise SignInRefused("disabled", "Your account in this service has been disabled. Ask "
                            "your administrator if you need it again.")
    return user


def _create(session: Session, identity: Identity, roles, team: Team | None) -> User:
    user = User(username=identity.username, display_name=identity.display_name, active=True,
                external_id=identity.external_id, team_id=team.id if team else None,
                role_rows=[UserRole(role=r) for r in sorted(roles)])
    session.add(user)
    session.flush()
    _audit_change(session, user, "user added", roles=sorted(roles),
                  team=team.name if team else None)
    return user


def _update(session: Session, user: User, identity: Identity, roles, team: Team | None) -> None:
    if user.external_id is None:
        user.external_id = identity.external_id
        _audit_change(session, user, "linked to single sign-on", issuer=identity.issuer)
    before = (sorted(user.roles), user.team.name if user.team else None)
    after = (sorted(roles), team.name if team else None)
    if before != after:
        user.role_rows = [UserRole(role=r) for r in after[0]]
        user.team_id = team.id if team else None
        _audit_change(session, user, "roles changed", roles_before=before[0],
                      team_before=before[1], roles=after[0], team=after[1])
    if user.display_name != identity.display_name:
        user.display_name = identity.display_name


def _audit_change(session: Session, user: User, change: str, **detail) -> None:
    audit.record(session, STAFF_CHANGED, clock.now(), actor=user, change=change, via=VIA,
                 username=user.username, **detail)
