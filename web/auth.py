"""Signing in and out with a local account. The password check itself is
`identity.authenticate`, so single sign-on can replace it without touching these pages."""
from flask import Blueprint, redirect, render_template, request, session, url_for

from . import identity
from .drafts import KEPT, claim_kept

bp = Blueprint("auth", __name__)


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
            staff = identity.authenticate(username, password)
            if staff is not None:
                kept = session.get(KEPT)   # answers kept when the last session expired
                identity.sign_in_as(staff)
                claim_kept(kept, staff.username)
                return redirect(next_url)
            errors["username"] = "Enter a correct username and password"
    summary = [{"text": message, "href": f"#{field}"} for field, message in errors.items()]
    return render_template("auth/sign_in.html", username=username, field_errors=errors,
                           errors=summary, next_url=next_url,
                           expired=request.values.get("expired") == "1"), 400 if errors else 200


@bp.post("/sign-out")
def sign_out():
    identity.sign_out()
    return redirect(url_for("auth.sign_in"))
