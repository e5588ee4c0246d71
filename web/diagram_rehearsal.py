"""Rehearsing a draft in the browser: a sample child starts on the draft, and the process
owner completes tasks (with their forms' sample answers, or answers typed into the form as
the task page renders it) and moves the clock on to see deadlines pass and escalations fire.

The server keeps nothing between requests: the sample child and the steps taken travel in
the page's hidden fields, and every request replays them from the start
(`engine.authoring`). The page is one form; its buttons say what to do next.
"""
import json
from datetime import date

from flask import render_template, request

from engine import authoring
from engine.authoring import SampleChild, Step, StepRefused
from engine.children import LEGAL_STATUSES
from workflows.calendar import LONDON

from . import task_form
from .diagram_checks import parsed_draft
from .diagram_editing import bp, draft_or_404
from .diagram_files import json_problem
from .form_widgets import item_title, widgets

MAX_STATE = 400_000   # characters of steps a page may carry back


@bp.route("/<draft_id>/rehearsal", methods=["GET", "POST"])
def rehearsal(draft_id):
    draft = draft_or_404(draft_id)
    parsed = parsed_draft(draft.bundle())
    if parsed is None:
        return render_template("diagrams/rehearsal.html", draft=draft, rehearsal=None), 400
    if request.method == "GET":
        return _show(draft, parsed, authoring.rehearse(parsed, SampleChild(), []))
    try:
        child, steps = _state(request.form)
    except ValueError:
        child, steps = SampleChild(), []
        return _show(draft, parsed, authoring.rehearse(parsed, child, steps),
                     problem="The rehearsal could not be read back, so it has started again"), 400
    return _act(draft, parsed, child, steps, request.form.get("rehearsal-action", ""))


def _act(draft, parsed, child, steps, action: str):
    verb, _, key = action.partition(":")
    if verb == "start":
        child, problem = _setup(request.form, child)
        return _show(draft, parsed, authoring.rehearse(parsed, child, []), problem=problem)
    if verb == "undo":
        return _show(draft, parsed, authoring.rehearse(parsed, child, steps[:-1]))
    now = authoring.rehearse(parsed, child, steps)
    if now.replay_problem or now.stopped or verb in ("", "show"):
        return _show(draft, parsed, now)
    if verb in ("fill", "complete") or task_form.row_action(request.form):
        return _filling(draft, parsed, now, key or request.form.get("rehearsal-filling", ""), verb)
    if verb == "sample" and now.task(key):
        sample = authoring.sample_answers(parsed, now, key)
        form = parsed.forms.get(now.task(key).form or "")
        filling = {"key": key, "answers": _typed(form.fields if form else (), sample)}
        return _take(draft, parsed, now, authoring.completing(now, key, sample), filling)
    if verb == "later":
        step = authoring.later(now, _days(request.form.get("rehearsal-days")))
    elif verb == "timer":  # to the moment the next timer fires
        step = authoring.to_next_timer(now)
    else:
        step = None
    return _take(draft, parsed, now, step)


def _take(draft, parsed, now, step: Step | None, filling=None):
    if step is None:
        return _show(draft, parsed, now, problem="There is nothing to do for that"), 400
    try:
        after = authoring.take_step(parsed, now.child, now.steps, step)
    except StepRefused as exc:
        if exc.errors and filling:
            return _show(draft, parsed, now, filling={**filling, "errors": exc.errors}), 400
        message = str(exc) if not exc.errors else f"{exc}: " + _first_message(exc.errors)
        return _show(draft, parsed, now, problem=message[0].upper() + message[1:]), 400
    return _show(draft, parsed, after)


def _filling(draft, parsed, now, key: str, verb: str):
    """The task's form, as the task page renders it: shown, or submitted to complete it."""
    task = now.task(key)
    form = parsed.forms.get(task.form or "") if task else None
    if task is None:
        return _show(draft, parsed, now, problem="That task is no longer open"), 400
    fields = form.fields if form else ()
    if verb == "fill":
        answers = _typed(fields, authoring.sample_answers(parsed, now, key))
        return _show(draft, parsed, now, filling={"key": key, "answers": answers, "errors": {}})
    answers = task_form.answers_from(fields, request.form)
    action = task_form.row_action(request.form)
    if action:
        task_form.apply_row_action(fields, answers, action)
        return _show(draft, parsed, now, filling={"key": key, "answers": answers, "errors": {}})
    data = task_form.for_submission(fields, answers)
    step = authoring.completing(now, key, data)
    return _take(draft, parsed, now, step, filling={"key": key, "answers": answers})


def _typed(fields, sample: dict) -> dict:
    """Sample answers as the form's inputs hold them (dates in parts, yes/no as text)."""
    answers = task_form.initial_answers(fields)
    for f in fields:
        value = sample.get(f.name)
        if value is None:
            continue
        if f.kind == "date":
            answers[f.name] = task_form.date_parts(value)
        elif f.kind == "boolean":
            answers[f.name] = "true" if value else "false"
        elif f.kind == "list":
            answers[f.name] = [_typed(f.item_fields, row) for row in value]
        elif f.kind == "multichoice":
            answers[f.name] = list(value)
        else:
            answers[f.name] = str(value)
    return answers


def _show(draft, parsed, rehearsal, problem: str | None = None, filling: dict | None = None):
    today = rehearsal.now.astimezone(LONDON).date()
    tasks = [{**vars(t), "overdue": bool(t.due_on and t.due_on < today), "due_this_week": False}
             for t in rehearsal.open_tasks]
    form_view = _form_view(parsed, rehearsal, filling) if filling else None
    errors = [{"text": problem, "href": "#rehearsal-state"}] if problem else []
    if form_view:
        errors += form_view["summary"]
    return render_template(
        "diagrams/rehearsal.html", draft=draft, rehearsal=rehearsal, tasks=tasks, today=today,
        form_view=form_view, problem=problem, errors=errors, legal_statuses=LEGAL_STATUSES,
        state_steps=json.dumps([s.to_json() for s in rehearsal.steps], separators=(",", ":"), default=str),
        state_child=json.dumps({"looked_after_on": rehearsal.child.looked_after_on.isoformat(),
                                "legal_status": rehearsal.child.legal_status}))


def _form_view(parsed, rehearsal, filling: dict) -> dict | None:
    task = rehearsal.task(filling["key"])
    form = parsed.forms.get(task.form or "") if task else None
    if task is None:
        return None
    errors = filling.get("errors") or {}
    summary = task_form.error_summary(form.fields, errors, lambda f: item_title(form, f)) if form else []
    return {"task": task, "form": form, "summary": summary,
            "widgets": widgets(form, task_form.with_a_row_each(form.fields, filling["answers"]), errors)
            if form else []}


def _state(form) -> tuple[SampleChild, list[Step]]:
    """The sample child and the steps the page carries; ValueError if they cannot be read."""
    steps_text, child_text = form.get("rehearsal-steps", "[]"), form.get("rehearsal-child", "{}")
    if len(steps_text) > MAX_STATE:
        raise ValueError("too many steps")
    try:
        raw_child, raw_steps = json.loads(child_text), json.loads(steps_text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if json_problem(raw_child) or json_problem(raw_steps):
        raise ValueError("not a rehearsal")
    if not isinstance(raw_steps, list) or not isinstance(raw_child, dict):
        raise ValueError("not a rehearsal")
    status = raw_child.get("legal_status", SampleChild().legal_status)
    if status not in LEGAL_STATUSES:
        raise ValueError("unknown legal status")
    child = SampleChild(date.fromisoformat(str(raw_child.get("looked_after_on"))), status)
    return child, [Step.from_json(s) for s in raw_steps]


def _setup(form, child: SampleChild) -> tuple[SampleChild, str | None]:
    """The sample child from the set-up fields; the old one, and why, if they do not make one."""
    status = form.get("setup-legal_status", child.legal_status)
    try:
        day = date(int(form.get("setup-looked_after_on-year", "")), int(form.get("setup-looked_after_on-month", "")),
                   int(form.get("setup-looked_after_on-day", "")))
    except ValueError:
        return child, "Enter the date the sample child became looked after as a real date"
    if status not in LEGAL_STATUSES:
        return child, "Select the sample child's legal status"
    if not date(2000, 1, 1) <= day <= date(2100, 1, 1):
        return child, "The date the sample child became looked after must be between 2000 and 2100"
    return SampleChild(day, status), None


def _days(text: str | None) -> int:
    try:
        return max(1, min(int(text or "7"), 3660))
    except ValueError:
        return 7


def _first_message(errors: dict) -> str:
    for value in errors.values():
        messages = task_form.messages(value)
        if messages:
            return messages[0]
    return "check the answers"
