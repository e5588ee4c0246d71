"""Never lose work: the task form's autosave (every 30 s where JavaScript runs, the same
draft as "Save and come back later"), staying signed in when the timeout warning asks, and
answers sent after the session expired, kept until their author signs in again."""
from flask import Blueprint, current_app, jsonify, redirect, request, session, url_for

import engine.drafts
import engine.views

from . import database, dates, panel_prefill, task_form
from .identity import SESSION_KEY, casework_required, current_user

bp = Blueprint("drafts", __name__)
#: The session key of a draft kept from an expired session (engine.drafts.keep_unsigned).
KEPT = "kept_draft"
#: Where a form whose session had expired is kept from (endpoint -> the task id argument).
KEEPING = {"tasks.task": "task_id"}


@bp.post("/tasks/<task_id>/draft")
@casework_required
def autosave(task_id):
    db, user = database(current_app), current_user()
    page = engine.views.task_page(db, task_id, user.username)   # 404 unseen, 403 wrong role
    if page.closed_message:
        return jsonify(error=page.closed_message), 409
    page = panel_prefill.for_page(page, database(current_app))
    fields = page.form.fields if page.form else ()
    saved_at = engine.drafts.save_draft(db, task_id, task_form.answers_from(fields, request.form),
                                        user.username)
    return jsonify(saved_at=saved_at.isoformat(), saved=f"Saved at {dates.time_of_day(saved_at)}")


@bp.post("/session/extend")
def extend():
    """"Stay signed in": any request renews the session; this one does nothing else."""
    session.modified = True
    return "", 204


def session_seconds() -> int:
    """How long a session lasts unused: the idle limit (PERMANENCE_SESSION_IDLE_MINUTES),
    within the cookie's own lifetime. The timeout warning counts down from this."""
    idle = current_app.config["PERMANENCE"].session_idle_minutes * 60
    return int(min(current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds(), idle))


def keep_after_expiry():
    """A task form sent with no session (it expired): keep the answers, and ask the user to
    sign in again, after which the task opens with them restored. None if not that case."""
    if request.method != "POST" or SESSION_KEY in session or request.endpoint not in KEEPING:
        return None
    task_id = (request.view_args or {}).get(KEEPING[request.endpoint], "")
    posted = {k: v for k, v in request.form.lists() if k not in ("csrf_token", "intent")}
    answers = {task_form.POSTED: posted}   # read onto the form's fields once it is opened
    try:
        token = engine.drafts.keep_unsigned(database(current_app), task_id, answers)
    except (engine.NotFound, ValueError):
        return None
    session[KEPT] = token
    return redirect(url_for("auth.sign_in", next=url_for("tasks.task", task_id=task_id),
                            expired="1"))


def claim_kept(kept_token: str | None, username: str) -> None:
    """After signing in: a form kept from the expired session becomes the user's draft."""
    if kept_token:
        engine.drafts.claim(database(current_app), kept_token, username)
