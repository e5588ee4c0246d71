"""Reallocating a child: a team manager gives the child another social worker or team, from
a date and for a reason (`engine.allocation` checks who may, and moves the open tasks)."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

import engine
from engine import allocation

from . import child_form, database
from .identity import current_user, roles_required

bp = Blueprint("allocation", __name__)
ORDER = ("team", "social_worker", "on", "reason")
LABEL = "Date the change takes effect"


@bp.route("/children/<int:child_id>/allocation", methods=["GET", "POST"])
@roles_required(*allocation.REALLOCATING_ROLES)
def change(child_id):
    db, user = database(current_app), current_user()
    choices = allocation.allocation_choices(db, child_id, user.username)  # 404 unseen, 403
    child = choices["child"]
    if request.method == "GET":
        today = engine.clock.today()
        values = {"team": child["team"], "social_worker": child["social_worker"], "reason": "",
                  "on": {"day": str(today.day), "month": str(today.month), "year": str(today.year)}}
        return _render(choices, values, {})
    form = request.form
    values = {"team": form.get("team", ""), "social_worker": form.get("social_worker", ""),
              "reason": form.get("reason", ""),
              "on": {p: form.get(f"on-{p}", "").strip() for p in ("day", "month", "year")}}
    iso, date_error = child_form.parse_date(values["on"], LABEL)
    try:
        done = allocation.reallocate(db, child_id, user.username, team=values["team"],
                                     social_worker=values["social_worker"],
                                     on=date.fromisoformat(iso) if iso else None,
                                     reason=values["reason"])
    except engine.FormInvalid as exc:
        errors = {k: list(v) for k, v in exc.errors.items()}
        if date_error:
            errors["on"] = [date_error]
        return _render(choices, values, errors), 400
    moved = f" {done.tasks_moved} open task{'s' if done.tasks_moved != 1 else ''} moved to " \
            f"{done.worker}." if done.tasks_moved else ""
    flash({"heading": f"{child['name']} is now allocated to {done.worker} in {done.team}",
           "ending": f"The change is in the timeline.{moved}"}, "success")
    return redirect(url_for("children.show", child_id=child_id))


def _render(choices, values, errors):
    summary = [{"text": m, "href": f"#{name}" + ("-day" if name == "on" else "")}
               for name in ORDER for m in errors.get(name, [])]
    return render_template("children/allocation.html", choices=choices, child=choices["child"],
                           values=values, errors_by_field=errors, errors=summary, form=child_form)
