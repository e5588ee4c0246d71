"""Administration: staff accounts and teams, for administrators only. Every change goes
through engine/staff.py (the same checks and audit as `permanence user` and `team`)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from engine import FormInvalid, NotFound, staff
from engine.reminders import FREQUENCIES, reminder_settings, set_reminder_settings
from workflows import roles as R

from . import child_form, database
from .identity import current_user, roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
administrators_only = roles_required(R.ADMINISTRATOR)


@bp.get("/staff")
@administrators_only
def index():
    db = database(current_app)
    return render_template("admin/staff.html", members=staff.list_users(db),
                           teams=staff.list_teams(db), team_values={}, team_errors={})


@bp.post("/teams")
@administrators_only
def add_team():
    db = database(current_app)
    name = request.form.get("name", "")
    try:
        staff.add_team(db, name, current_user().username)
    except FormInvalid as exc:
        return render_template("admin/staff.html", members=staff.list_users(db),
                               teams=staff.list_teams(db), team_values={"name": name},
                               team_errors=exc.errors,
                               summary=_summary(exc.errors, {"name": "team-name"})), 400
    flash({"heading": f"Team {name.strip()} added"}, "success")
    return redirect(url_for("admin.index"))


@bp.route("/staff/new", methods=["GET", "POST"])
@administrators_only
def new():
    db = database(current_app)
    values = {"username": "", "display_name": "", "roles": [], "team": "", "password": ""}
    if request.method == "POST":
        values = _posted()
        try:
            staff.add_user(db, current_user().username, username=values["username"],
                           display_name=values["display_name"], roles=values["roles"],
                           team=values["team"] or None, password=values["password"] or None)
        except FormInvalid as exc:
            values["password"] = ""  # never sent back to the browser
            return _render_form("admin/staff_new.html", values, exc.errors), 400
        flash({"heading": f"{values['display_name'].strip()} can now be given work"}, "success")
        return redirect(url_for("admin.index"))
    return _render_form("admin/staff_new.html", values, {})


@bp.route("/staff/<username>", methods=["GET", "POST"])
@administrators_only
def edit(username):
    db = database(current_app)
    try:
        member = staff.get_user(db, username)
    except NotFound:
        abort(404)
    values = {"roles": list(member.roles), "team": member.team or "", "password": "",
              **_reminders(db, username)}
    if request.method == "POST":
        action, values = request.form.get("action"), {**values, **_posted()}
        actor = current_user().username
        try:
            if action == "roles":
                staff.set_roles(db, actor, username, values["roles"], values["team"] or None)
                done = "Roles and team saved"
            elif action == "password":
                staff.set_password(db, actor, username, values["password"])
                done = "Password set"
            elif action == "reminders":
                set_reminder_settings(db, actor, username, frequency=values["frequency"],
                                      email=values["email"])
                done = "Reminder e-mails saved"
            elif action in ("disable", "enable"):
                staff.set_active(db, actor, username, action == "enable")
                done = f"Account {action}d"
            else:
                abort(400)
        except FormInvalid as exc:
            values["password"] = ""
            return _render_form("admin/staff_edit.html", values, exc.errors, member=member), 400
        flash({"heading": f"{member.display_name}: {done.lower()}"}, "success")
        return redirect(url_for("admin.edit", username=username))
    return _render_form("admin/staff_edit.html", values, {}, member=member)


def _posted() -> dict:
    form = request.form
    posted = {"username": form.get("username", ""), "display_name": form.get("display_name", ""),
              "roles": form.getlist("roles"), "team": form.get("team", ""),
              "password": form.get("password", "")}
    if form.get("action") == "reminders":
        posted.update(email=form.get("email", ""), frequency=form.get("frequency", ""))
    return posted


def _reminders(db, username: str) -> dict:
    """The address and choice for reminders by e-mail (engine/reminders)."""
    current = reminder_settings(db, username)
    return {"email": current["email"] or "", "frequency": current["frequency"]}


_FIRST_INPUT = {"roles": "roles", "team": "team", "username": "username",
                "display_name": "display_name", "password": "password", "active": "disable",
                "email": "email", "frequency": "frequency"}


def _render_form(template: str, values: dict, errors: dict, **extra):
    return render_template(template, values=values, errors_by_field=errors, form=child_form,
                           summary=_summary(errors, _FIRST_INPUT), all_roles=R.ALL_ROLES,
                           teams=[t["name"] for t in staff.list_teams(database(current_app))],
                           frequencies=FREQUENCIES, **extra)


def _summary(errors: dict, inputs: dict) -> list[dict]:
    return [{"text": " ".join(messages), "href": f"#{inputs.get(field, field)}"}
            for field, messages in errors.items()]
