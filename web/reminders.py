"""Reminders by e-mail, as people see them: each person chooses how often on
/account/reminders; administrators read the e-mail outbox on /admin/reminders (sent, waiting,
failed with Notify's reason, or kept here when Notify is not set up) and send a failed one
again. Addresses are set by administrators on the staff page (web/admin.py)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from engine import FormInvalid, NotFound
from engine.reminders import FREQUENCIES, reminder_settings, set_reminder_settings
from engine.reminders.reading import STATES, emails_page, retry
from workflows import roles as R

from . import child_form, database
from .identity import current_user, roles_required

bp = Blueprint("reminders", __name__)


def frequency_items(chosen: str) -> list[dict]:
    return [{"value": k, "text": v, "checked": k == chosen} for k, v in FREQUENCIES.items()]


@bp.route("/account/reminders", methods=["GET", "POST"])
def mine():
    db = database(current_app)
    user = current_user()
    current = reminder_settings(db, user.username)
    values, errors = {"frequency": current["frequency"]}, {}
    if request.method == "POST":
        values = {"frequency": request.form.get("frequency", "")}
        try:
            set_reminder_settings(db, user.username, user.username, frequency=values["frequency"])
        except FormInvalid as exc:
            errors = exc.errors
        else:
            flash({"heading": "Your reminder choice is saved"}, "success")
            return redirect(url_for("reminders.mine"))
    return render_template("reminders/mine.html", email=current["email"], values=values,
                           items=frequency_items(values["frequency"]), errors_by_field=errors,
                           form=child_form,
                           summary=[{"text": " ".join(m), "href": "#frequency"} for m in errors.values()],
                           sends=current_app.config["PERMANENCE"].notify_api_key != ""), \
        400 if errors else 200


@bp.get("/admin/reminders")
@roles_required(R.ADMINISTRATOR)
def outbox():
    status = request.args.get("status", "")
    if status and status not in STATES:
        abort(404)
    before = request.args.get("before", "")
    page = emails_page(database(current_app), status or None,
                       int(before) if before.isdigit() and len(before) < 10 else None)
    settings = current_app.config["PERMANENCE"]
    return render_template("reminders/outbox.html", page=page, status=status, states=STATES,
                           sends=bool(settings.notify_api_key))


@bp.post("/admin/reminders/<int(max=2147483647):email_id>/retry")
@roles_required(R.ADMINISTRATOR)
def send_again(email_id):
    try:
        retry(database(current_app), current_user().username, email_id)
    except NotFound:
        abort(404)
    except FormInvalid as exc:
        flash({"heading": " ".join(m for ms in exc.errors.values() for m in ms)}, "problem")
        return redirect(url_for("reminders.outbox", status="failed"))
    flash({"heading": f"E-mail {email_id} will be sent again"}, "success")
    return redirect(url_for("reminders.outbox", status="failed"))
