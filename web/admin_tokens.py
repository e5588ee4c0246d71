"""API tokens, for administrators: issue one per case-management system (shown once, only
its hash kept), see when each was last used, revoke. Every change goes through
engine/tokens.py, as `permanence token` does, and is audited."""
from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for

from engine import FormInvalid, NotFound, staff, tokens
from workflows import roles as R

from . import child_form, database
from .identity import current_user, roles_required

bp = Blueprint("admin_tokens", __name__, url_prefix="/admin/tokens")
administrators_only = roles_required(R.ADMINISTRATOR)
EVERY_TEAM = "*"


@bp.route("", methods=["GET", "POST"])
@administrators_only
def index():
    db = database(current_app)
    values = {"name": "", "roles": [], "scopes": [], "teams": []}
    if request.method == "GET":
        return _page(values, {})
    form = request.form
    values = {"name": form.get("name", ""), "roles": form.getlist("roles"),
              "scopes": form.getlist("scopes"), "teams": form.getlist("teams")}
    teams = None if EVERY_TEAM in values["teams"] else values["teams"]
    try:
        token, info = tokens.issue(db, current_user().username, name=values["name"],
                                   roles=values["roles"], scopes=values["scopes"], teams=teams)
    except FormInvalid as exc:
        return _page(values, exc.errors), 400
    response = make_response(_page({"name": "", "roles": [], "scopes": [], "teams": []}, {},
                                   issued=(token, info)))
    response.headers["Cache-Control"] = "no-store"   # the token is shown this once
    return response


@bp.post("/<name>/revoke")
@administrators_only
def revoke(name):
    try:
        tokens.revoke(database(current_app), current_user().username, name)
    except NotFound:
        return _page({"name": "", "roles": [], "scopes": [], "teams": []}, {}), 404
    flash({"heading": f"Token {name} revoked: it stops working at once"}, "success")
    return redirect(url_for("admin_tokens.index"))


_FIRST_INPUT = {"name": "name", "roles": "roles", "scopes": "scopes", "teams": "teams"}


def _page(values: dict, errors: dict, issued=None):
    db = database(current_app)
    return render_template(
        "admin/tokens.html", tokens=tokens.list_tokens(db), values=values,
        errors_by_field=errors, form=child_form, issued=issued, scopes=tokens.SCOPES,
        lane_roles=R.LANE_ROLES, teams=[t["name"] for t in staff.list_teams(db)],
        every_team=EVERY_TEAM,
        summary=[{"text": " ".join(m), "href": f"#{_FIRST_INPUT.get(f, f)}"} for f, m in errors.items()])
