"""Signing in with the council's OpenID Connect provider (Authlib), beside local accounts.

`/sign-in/oidc` sends the browser to the provider with a fresh `state`, `nonce` and PKCE
code challenge (S256), kept in this browser's session; `/sign-in/oidc/callback` takes the
provider's answer only with the same `state`, exchanges the code with the code verifier, and
checks the ID token's signature, issuer, audience, expiry and `nonce` (Authlib). The identity
then becomes a local account (engine/single_sign_on.py) and the session starts exactly as a
local sign-in does (`identity.sign_in_as`: a fresh session, the session generation, the idle
timeout), so every other protection holds unchanged. Authlib is imported only here, when used.
"""
import threading

from flask import (Blueprint, abort, current_app, redirect, render_template, request, session,
                   url_for)

from engine import single_sign_on
from engine.single_sign_on import SignInRefused

from . import database, identity
from .drafts import KEPT, claim_kept

bp = Blueprint("oidc", __name__)
NEXT_KEY = "oidc_next"
CLIENT_NAME = "council"
EXTENSION = "permanence.oidc"
_registering = threading.Lock()


def _settings():
    oidc = current_app.config["PERMANENCE"].oidc
    if oidc is None:
        abort(404)   # local accounts only: there is no single sign-on to start
    return oidc


def _client():
    """This app's Authlib client for the provider, registered on first use."""
    registry = current_app.extensions.get(EXTENSION)
    if registry is None:
        with _registering:
            registry = current_app.extensions.get(EXTENSION)
            if registry is None:
                from authlib.integrations.flask_client import OAuth
                oidc = _settings()
                registry = OAuth(current_app)
                client_kwargs = {"scope": "openid profile email", "code_challenge_method": "S256",
                                 "default_timeout": 10}
                if oidc.client_secret is None:
                    client_kwargs["token_endpoint_auth_method"] = "none"
                registry.register(CLIENT_NAME, client_id=oidc.client_id,
                                  client_secret=oidc.client_secret,
                                  server_metadata_url=oidc.metadata_url,
                                  client_kwargs=client_kwargs)
                current_app.extensions[EXTENSION] = registry
    return registry.create_client(CLIENT_NAME)


@bp.get("/sign-in/oidc")
def start():
    """Off to the provider. A link, not a form: the page's `form-action 'self'` policy would
    stop a form from being redirected to another site."""
    oidc = _settings()
    session[NEXT_KEY] = identity.safe_next(request.args.get("next"), url_for("inbox.index"))
    callback = oidc.redirect_uri or url_for("oidc.callback", _external=True)
    try:
        return _client().authorize_redirect(callback)
    except OSError:   # requests' connection errors are OSErrors: the provider did not answer
        return _unreachable(oidc)


@bp.get("/sign-in/oidc/callback")
def callback():
    oidc = _settings()
    from authlib.common.errors import AuthlibBaseError
    from authlib.integrations.base_client import MismatchingStateError
    from joserfc.errors import JoseError   # the ID token's checks (signature, claims, nonce)
    if request.args.get("error"):
        return _refused(oidc, "You did not finish signing in with "
                        f"{oidc.provider_name}, or it refused the request "
                        f"({request.args.get('error')}).", 400)
    try:
        token = _client().authorize_access_token()
    except MismatchingStateError:
        return _refused(oidc, "This sign-in did not start here, or it has expired. Start again "
                        "from the sign-in page.", 400)
    except (AuthlibBaseError, JoseError) as exc:
        reason = getattr(exc, "error", None) or type(exc).__name__
        return _refused(oidc, f"{oidc.provider_name} did not confirm who you are "
                        f"({reason}). Start again from the sign-in page.", 400)
    except OSError:
        return _unreachable(oidc)
    claims = dict(token.get("userinfo") or {})
    if not claims:
        return _refused(oidc, f"{oidc.provider_name} did not send an ID token. Ask your "
                        "administrator to check the service's settings.", 400)
    db = database(current_app)
    try:
        found = single_sign_on.identity_from_claims(
            oidc.issuer, claims, groups_claim=oidc.groups_claim, username_claim=oidc.username_claim)
        grants = {group: single_sign_on.GroupGrant(roles, team)
                  for group, (roles, team) in oidc.groups.items()}
        user_id = single_sign_on.sign_in(db, found, grants)
    except SignInRefused as refused:
        return _refused(oidc, str(refused), 403)
    staff = identity.load_staff(user_id)
    next_url = identity.safe_next(session.get(NEXT_KEY), url_for("inbox.index"))
    kept = session.get(KEPT)   # answers kept when the last session expired, as a local sign-in
    identity.sign_in_as(staff)
    claim_kept(kept, staff.username)
    return redirect(next_url)


def _refused(oidc, message: str, status: int):
    session.pop(NEXT_KEY, None)
    return render_template("auth/oidc_refused.html", message=message,
                           provider_name=oidc.provider_name), status


def _unreachable(oidc):
    return _refused(oidc, f"{oidc.provider_name} did not answer. Try again in a few minutes, "
                    "or sign in with a local account if you have one.", 503)
