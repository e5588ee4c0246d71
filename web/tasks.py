"""The task page: the child, the instructions, and the task's form; submitting it completes
the task through `engine.complete_task`, which checks everything again."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

import engine
import engine.views

from . import database, dates, task_form
from .form_widgets import item_title, widgets
from .identity import casework_required, current_user
from .records.pages import done_record

bp = Blueprint("tasks", __name__)


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
@casework_required
def task(task_id):
    db, user = database(current_app), current_user()
    page = engine.views.task_page(db, task_id, user.username)  # 404 unseen, 403 wrong role
    fields = page.form.fields if page.form else ()
    if page.closed_message:  # done or cancelled: say so, and refuse a late submission
        return _render(page, {}, {}), 409 if request.method == "POST" else 200
    if request.method == "GET":
        return _render(page, task_form.initial_answers(fields), {})
    answers = task_form.answers_from(fields, request.form)
    action = task_form.row_action(request.form)
    if action:  # "Add another" or "Remove": the same page, one row more or less
        task_form.apply_row_action(fields, answers, action)
        return _render(page, task_form.with_a_row_each(fields, answers), {})
    data = task_form.for_submission(fields, answers)
    try:
        outcome = engine.complete_task(db, task_id, data, user.username)
    except engine.FormInvalid as exc:
        return _render(page, task_form.with_a_row_each(fields, data), exc.errors), 400
    except engine.TaskNotOpen as exc:
        return _render(page, {}, {}, closed=str(exc)), 409
    flash(completion_banner(page, outcome), "success")
    return redirect(url_for("inbox.index"))


def _render(page, answers: dict, errors: dict, closed: str | None = None):
    form = page.form
    summary = []
    if errors and form:
        summary = task_form.error_summary(form.fields, errors, lambda f: item_title(form, f))
    return render_template(
        "task.html", page=page, task=page.task, child=page.child,
        closed=closed or page.closed_message, errors=summary,
        record=done_record(page.task["task_id"]) if closed or page.closed_message else None,
        widgets=widgets(form, answers, errors) if form and not (closed or page.closed_message) else [])


def completion_banner(page, outcome) -> dict:
    """What the inbox says after a task is done: which task, for whom, and what opened next."""
    child = page.child["name"]
    lines = []
    for task in outcome.opened:
        due = f", due {dates.long_date(task['due_on'])}" if task.get("due_on") else ""
        rule = f" ({task['rule']})" if task.get("rule") else ""
        lines.append(f"{task['name']} for the {task['lane']}{due}{rule}")
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
