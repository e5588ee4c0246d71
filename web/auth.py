"""Signing in and out with a local account (and, when set up, the link to single sign-on:
web/oidc.py). The password check itself is `identity.authenticate`.
Repeated failures are throttled per account and per address (`throttle`)."""
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from . import database, identity
from .drafts import KEPT, claim_kept
from .throttle import Throttle

bp = Blueprint("auth", __name__)
THROTTLE = Throttle()
TOO_MANY = ("Too many failed attempts to sign in. Wait 15 minutes, then try again, or ask "
            "your administrator to check your account")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    next_url = identity.safe_next(request.values.get("next"), url_for("inbox.index"))
    if identity.current_user() is not None and request.method == "GET":
        return redirect(next_url)
    username, errors = "", {}
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if not username:
            errors["username"] = "Enter your username"
        if not password:
            errors["password"] = "Enter your password"
        if not errors:
            db, address = database(current_app), request.remote_addr or "unknown"
            if THROTTLE.refused(db, username, address):
                return _page(username, {"username": TOO_MANY}, next_url, 429)
            staff = identity.authenticate(username, password)
            if staff is not None:
                THROTTLE.succeeded(db, username)
                kept = session.get(KEPT)   # answers kept when the last session expired
                identity.sign_in_as(staff)
                claim_kept(kept, staff.username)
                return redirect(next_url)
            THROTTLE.failed(db, username, address)
            errors["username"] = "Enter a correct username and password"
    return _page(username, errors, next_url, 400 if errors else 200)


def _page(username: str, errors: dict, next_url: str, status: int):
    summary = [{"text": message, "href": f"#{field}"} for field, message in errors.items()]
    return render_template("auth/sign_in.html", username=username, field_errors=errors,
                           errors=summary, next_url=next_url,
                           signed_out=request.args.get("idle") == "1",
                           expired=request.values.get("expired") == "1",
                           oidc_name=_oidc_name()), status


def _oidc_name() -> str | None:
    """The provider's name for "Sign in with ...", when single sign-on is set up."""
    oidc = current_app.config["PERMANENCE"].oidc
    return oidc.provider_name if oidc is not None else None


@bp.post("/sign-out")
def sign_out():
    identity.sign_out()
    return redirect(url_for("auth.sign_in"))
