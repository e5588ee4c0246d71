"""The task page: the child, the instructions, and the task's form. Continuing saves the
answers as a draft and shows "Check your answers"; only the button there completes the task
(through `engine.complete_task`, which checks everything again). Enter in a field continues,
never completes. "Save and come back later" keeps a draft; reopening the task restores it.
A panel task opened from the agenda carries the panel's date (`panel_date`) through the form
and the check, and completing it goes back to that agenda, so the chair and administrator
work down the day's children without going through their inbox."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

import engine
import engine.drafts
import engine.views

from . import adoption_prefill, database, dates, network_prefill, panel_prefill, ppm_prefill, task_form
from .form_html import fields_html
from .form_widgets import item_title, widgets
from .identity import casework_required, current_user
from .records.pages import done_record
from .task_answers import summary_rows

bp = Blueprint("tasks", __name__)
#: The form's buttons post `intent`: continue to the check (the default, and what Enter
#: presses), or save and come back later.
SAVE_LATER = "save"


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
@casework_required
def task(task_id):
    db, user = database(current_app), current_user()
    if (request.method == "POST" and not task_form.row_action(request.form)
            and request.form.get("intent") != SAVE_LATER):
        return _continue(db, user, task_id)
    page = engine.views.task_page(db, task_id, user.username)  # 404 unseen, 403 wrong role
    page = panel_prefill.for_page(page, database(current_app))
    fields = page.form.fields if page.form else ()
    if page.closed_message:  # done or cancelled: say so, and refuse a late submission
        return _render(page, {}, {}), 409 if request.method == "POST" else 200
    if request.method == "GET":
        draft = engine.drafts.load_draft(db, task_id, user.username)
        if draft is None:
            answers = panel_prefill.prefilled(page, fields, task_form.initial_answers(fields), request.args)
            answers = ppm_prefill.prefilled(page, fields, answers, db, user.username)
            answers = network_prefill.prefilled(page, fields, answers)
            answers = adoption_prefill.prefilled(page, fields, answers, db, user.username)
            return _render(page, answers, {})
        return _render(page, task_form.restored(fields, draft.answers), {}, restored=draft.saved_at)
    answers = task_form.answers_from(fields, request.form)
    action = task_form.row_action(request.form)
    if action:  # "Add another" or "Remove": the same page, one row more or less
        focus = task_form.apply_row_action(fields, answers, action)
        return _render(page, task_form.with_a_row_each(fields, answers), {}, focus=focus)
    # Save and come back later (Continue is `_continue`'s)
    engine.drafts.save_draft(db, task_id, answers, user.username)
    flash({"heading": f"Your answers to {page.task['name']} for {page.child['name']} are saved",
           "ending": "Open the task again to carry on where you left off."}, "success")
    return redirect(url_for("inbox.index"))


def _continue(db, user, task_id):
    """Continue: the answers kept as a draft and checked, in one transaction with the read
    of the task (404 unseen, 403 wrong role, 409 closed: nothing saved); the check comes
    next. The draft is saved whatever the check finds: nothing typed is lost."""
    sent = {}

    def answers_for(page):
        page = panel_prefill.for_page(page, db)
        fields = page.form.fields if page.form else ()
        answers = task_form.answers_from(fields, request.form)
        sent.update(page=page, fields=fields, data=task_form.for_submission(fields, answers))
        return answers, sent["data"]
    try:
        page = engine.drafts.continue_task(db, task_id, user.username, answers_for)
    except engine.FormInvalid as exc:   # errors name rows as sent: empty rows left out
        return _render(sent["page"], task_form.with_a_row_each(sent["fields"], sent["data"]), exc.errors), 400
    except engine.TaskNotOpen as exc:
        return _render(sent["page"], {}, {}, closed=str(exc)), 409
    if page.closed_message:   # done or cancelled: say so, and refuse a late submission
        return _render(panel_prefill.for_page(page, db), {}, {}), 409
    return redirect(url_for("tasks.check", task_id=task_id, panel_date=_panel_date()))


@bp.route("/tasks/<task_id>/check", methods=["GET", "POST"])
@casework_required
def check(task_id):
    """Check your answers (GOV.UK pattern): each answer with a change link; completing the
    task sends the saved draft, exactly what the page shows."""
    db, user = database(current_app), current_user()
    if request.method == "POST":
        return _complete(db, user, task_id)
    page = engine.views.task_page(db, task_id, user.username)
    page = panel_prefill.for_page(page, database(current_app))
    fields = page.form.fields if page.form else ()
    if page.closed_message:
        return _render(page, {}, {})
    draft = engine.drafts.load_draft(db, task_id, user.username)
    answers = task_form.restored(fields, draft.answers) if draft else task_form.initial_answers(fields)
    if draft is None and fields:
        return redirect(url_for("tasks.task", task_id=task_id, panel_date=_panel_date()))
    data = task_form.for_submission(fields, answers)
    try:
        engine.drafts.check_answers(db, task_id, data, user.username)
    except engine.FormInvalid as exc:
        return _render(page, task_form.with_a_row_each(fields, data), exc.errors), 400
    except engine.TaskNotOpen as exc:
        return _render(page, {}, {}, closed=str(exc)), 409
    return render_template("task_check.html", page=page, task=page.task, child=page.child,
                           rows=summary_rows(fields, answers, task_id))


def _complete(db, user, task_id):
    """Complete the task with the saved draft. It reads only the task's form and the draft,
    in the completion's own transaction; the whole page is built only when one is shown
    (answers refused, or the task closed meanwhile). The drafts go with the completion."""
    sent = {}

    def submission(slim):
        page = panel_prefill.for_page(slim.page, db)
        fields = page.form.fields if page.form else ()
        draft = slim.draft
        sent.update(page=page, fields=fields)
        if draft is None and fields:   # completed this moment elsewhere, its drafts discarded?
            return None
        answers = task_form.restored(fields, draft.answers) if draft else task_form.initial_answers(fields)
        sent["data"] = task_form.for_submission(fields, answers)
        return sent["data"]
    try:
        slim, outcome = engine.drafts.complete_draft(db, task_id, user.username, submission)
    except engine.FormInvalid as exc:
        full = _full_page(db, task_id, user)
        return _render(full, task_form.with_a_row_each(sent["fields"], sent["data"]), exc.errors), 400
    except engine.TaskNotOpen as exc:
        return _render(_full_page(db, task_id, user), {}, {}, closed=str(exc)), 409
    if slim.page.closed_message:
        return _render(_full_page(db, task_id, user), {}, {}), 409
    if outcome is None:   # no draft to send
        full = _full_page(db, task_id, user)
        if full.closed_message:
            return _render(full, {}, {}), 409
        return redirect(url_for("tasks.task", task_id=task_id, panel_date=_panel_date()))
    page = sent["page"]
    flash(completion_banner(page, outcome, user.roles), "success")
    panel_day = _panel_date()
    if panel_day:
        day = date.fromisoformat(panel_day)
        return redirect(url_for("panel.index", **{"panel_date-day": day.day, "panel_date-month": day.month,
                                                  "panel_date-year": day.year}, _anchor="agenda"))
    return redirect(url_for("inbox.index"))


def _full_page(db, task_id, user):
    """The task page as shown, for a completion that shows it again."""
    return panel_prefill.for_page(engine.views.task_page(db, task_id, user.username), db)


def _panel_date() -> str | None:
    """The agenda's date the task was opened from, if it is one (anything else is ignored)."""
    text = request.args.get("panel_date", "")
    try:
        return date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        return None


def _render(page, answers: dict, errors: dict, closed: str | None = None, restored=None,
            focus: str | None = None):
    form = page.form
    summary = []
    if errors and form:
        summary = task_form.error_summary(form.fields, errors, lambda f: item_title(form, f))
    return render_template(
        "task.html", page=page, task=page.task, child=page.child,
        closed=closed or page.closed_message, errors=summary, restored=restored, focus=focus,
        record=done_record(page.task["task_id"]) if closed or page.closed_message else None,
        plan_to_review=_plan_to_review(page) if not (closed or page.closed_message) else None,
        family_network=network_prefill.network_for(page) if not (closed or page.closed_message) else None,
        fields_html=fields_html(widgets(form, answers, errors)) if form and not (closed or page.closed_message) else "")


#: Forms of the meetings that review the plan: the CLA review endorses it (D11) and hears the
#: child's wishes and feelings from the PPM (J2); the panel hears them too.
REVIEWS_THE_PLAN = ("cla-review.json", "panel-outcome.json")


def _plan_to_review(page):
    """The plan and the voice from the latest PPM, beside a form that reviews them."""
    if page.task.get("form_name") not in REVIEWS_THE_PLAN:
        return None
    from engine import plan as engine_plan
    from .records.plan_content import voice_blocks
    _child, plan = engine_plan.plan_for(database(current_app), page.child["id"], current_user().username)
    from engine.reporting import route_text
    blocks = voice_blocks(plan.content)
    if plan.content.permanence_review:      # M1: the permanence review informs the CLA review
        from .records.plan_content import permanence_review_block
        blocks = [*blocks, permanence_review_block(plan.content.permanence_review)]
    return {"routes": " and ".join(route_text(r) for r in plan.routes) or "no route yet",
            "contingency": plan.contingency or "not recorded", "voice": blocks}


def completion_banner(page, outcome, roles=frozenset()) -> dict:
    """What the inbox says after a task is done: which task, for whom, and a link to each
    task it opened (the task itself for the user's own lanes, else the child's open tasks)."""
    child = page.child["name"]
    lines = []
    for task in outcome.opened:
        due = f", due {dates.day_date(task['due_on'])}" if task.get("due_on") else ""
        rule = f" ({task['rule']})" if task.get("rule") else ""
        href = (url_for("tasks.task", task_id=task["task_id"]) if task["lane"] in roles
                else url_for("children.show", child_id=page.child["id"], _anchor="open-tasks"))
        lines.append({"text": task["name"], "href": href,
                      "after": f" for {dates.role_in_words(task['lane'])}{due}{rule}"})
    if outcome.error:
        ending = f"The pathway stopped with a problem: {outcome.error}"
    elif outcome.status == "completed":
        ending = f"{child}'s pathway is complete."
    elif not lines:
        ending = "No new task was opened."
    else:
        ending = ""
    return {"heading": f"{page.task['name']} for {child} is done",
            "next": lines, "ending": ending}
