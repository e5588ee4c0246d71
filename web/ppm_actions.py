"""PPM actions as pages (A5, C12, J6): an action's page, where its owner marks it done and
the team manager it was escalated to records what was agreed; and the page where an IRO or
a manager asks for an up-to-date assessment. Who may do what is decided in the engine
(`engine.access`); these pages only show and post."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

import engine
from engine import ppm_action_views, ppm_actions

from . import database, task_form
from .dates import long_date
from .form_widgets import widgets
from .identity import casework_required, current_user

bp = Blueprint("actions", __name__)


@bp.get("/actions/<int:action_id>")
@casework_required
def show(action_id):
    return _render(action_id)


@bp.post("/actions/<int:action_id>/done")
@casework_required
def done(action_id):
    return _post(action_id, ppm_actions.DONE_FORM, ppm_actions.complete, "done",
                 "The action is marked done")


@bp.post("/actions/<int:action_id>/escalation")
@casework_required
def escalation(action_id):
    return _post(action_id, ppm_actions.ESCALATION_FORM, ppm_actions.answer_escalation, "escalation",
                 "Your answer to the missed action is recorded")


def _post(action_id, form, act, which, banner):
    answers = task_form.answers_from(form.fields, request.form)
    try:
        act(database(current_app), action_id, current_user().username, answers)
    except engine.FormInvalid as exc:
        return _render(action_id, **{which: (answers, exc.errors)}), 400
    flash({"heading": banner}, "success")
    return redirect(url_for("actions.show", action_id=action_id))


def _render(action_id, done=None, escalation=None):
    action = ppm_action_views.action_page(database(current_app), action_id, current_user().username)
    forms = {}
    for key, form, posted, allowed in (("done", ppm_actions.DONE_FORM, done, action["may_complete"]),
                                       ("escalation", ppm_actions.ESCALATION_FORM, escalation,
                                        action["may_answer"])):
        if allowed:
            answers, errors = posted or (task_form.initial_answers(form.fields), {})
            forms[key] = {"widgets": widgets(form, answers, errors),
                          "errors": task_form.error_summary(form.fields, errors) if errors else []}
    return render_template("actions/show.html", action=action, forms=forms,
                           errors=[e for f in forms.values() for e in f["errors"]])


@bp.route("/children/<int:child_id>/assessment-request", methods=["GET", "POST"])
@casework_required
def assessment_request(child_id):
    """C12: an IRO or a manager asks the social worker for an up-to-date assessment."""
    db, user, form = database(current_app), current_user(), ppm_actions.ASSESSMENT_FORM
    child = ppm_actions.assessment_child(db, child_id, user.username)
    answers, errors = task_form.initial_answers(form.fields), {}
    if request.method == "POST":
        answers = task_form.answers_from(form.fields, request.form)
        try:
            action = ppm_actions.request_assessment(db, child_id, user.username, answers)
        except engine.FormInvalid as exc:
            errors = exc.errors
        else:
            flash({"heading": "The up-to-date assessment is asked for",
                   "ending": f"It is an action of {child['social_worker']}, due {long_date(action.due_on)}; "
                             "missed, it goes to their team manager."}, "success")
            return redirect(url_for("records.plan", child_id=child_id))
    return render_template("actions/assessment_request.html", child=child, widgets=widgets(form, answers, errors),
                           errors=task_form.error_summary(form.fields, errors) if errors else []), 400 if errors else 200
