"""A record's page, its print view and PDF, and its correction.

Every route reads through `engine.records`, which checks who may see the child and audits
the reading; a process owner, or anyone not allowed the child, gets 404 as for the child."""
from flask import (
    Response, abort, current_app, flash, redirect, render_template, request, url_for,
)

import engine
from engine import records as engine_records
from engine.corrections import REASON_CAP, correct_record

from .. import database, task_form
from ..form_widgets import item_title, widgets
from ..identity import casework_required, child_viewers_required, current_user
from . import answers as shown
from . import bp, documents


bp.add_app_template_global(shown.summary_rows, "summary_rows")


def done_record(task_id: str):
    """A done task's record for its page (read, and so audited), or None if it made none."""
    db, username = database(current_app), current_user().username
    record_id = engine_records.record_of_task(db, task_id, username)
    if record_id is None:
        return None
    view = engine_records.read_record(db, record_id, username)
    return {"view": view, "blocks": shown.blocks(view.form, view.record["answers"])}


def _revision(view, number: str | None) -> dict:
    """The revision asked for (?revision=2), or the current one."""
    if number:
        for revision in view.revisions:
            if str(revision["revision"]) == number:
                return revision
        abort(404)
    return view.record


@bp.get("/records/<int:record_id>")
@child_viewers_required
def show(record_id):
    view = engine_records.read_record(database(current_app), record_id, current_user().username)
    revision = _revision(view, request.args.get("revision"))
    return render_template("records/show.html", view=view, record=revision, child=view.child,
                           blocks=shown.blocks(view.form, revision["answers"]))


@bp.get("/records/<int:record_id>/print")
@child_viewers_required
def print_view(record_id):
    view = engine_records.read_record(database(current_app), record_id, current_user().username,
                                      purpose="print")
    return render_template("records/print.html", **documents.record_document(view),
                           pdf_url=url_for("records.pdf", record_id=record_id), printable=True)


@bp.get("/records/<int:record_id>.pdf")
@child_viewers_required
def pdf(record_id):
    view = engine_records.read_record(database(current_app), record_id, current_user().username,
                                      purpose="pdf")
    html = render_template("records/print.html", **documents.record_document(view),
                           printable=False)
    name = f"{view.child['reference']}-{view.record['bpmn_id']}-{view.record['id']}.pdf"
    return documents.pdf_response(html, name)


@bp.route("/records/<int:record_id>/correct", methods=["GET", "POST"])
@casework_required
def correct(record_id):
    db, user = database(current_app), current_user()
    view = engine_records.read_record(db, record_id, user.username)
    if not view.may_correct:
        abort(403)
    fields = view.form.fields if view.form else ()
    if request.method == "GET":
        values = task_form.with_a_row_each(fields, as_form_answers(fields, view.record["answers"]))
        return _render_correction(view, values, "", {})
    values = task_form.answers_from(fields, request.form)
    reason = request.form.get("reason", "")
    action = task_form.row_action(request.form)
    if action:
        task_form.apply_row_action(fields, values, action)
        return _render_correction(view, task_form.with_a_row_each(fields, values), reason, {})
    data = task_form.for_submission(fields, values)
    try:
        new_id = correct_record(db, view.record["id"], data, reason, user.username)
    except engine.FormInvalid as exc:
        return _render_correction(view, task_form.with_a_row_each(fields, values), reason,
                                  exc.errors), 400
    flash({"heading": f"{view.record['title']} for {view.child['name']} is corrected",
           "next": [], "ending": "The earlier version is kept in the record's history."}, "success")
    return redirect(url_for("records.show", record_id=new_id))


def _render_correction(view, values, reason, errors):
    form = view.form
    summary = task_form.error_summary(form.fields, {k: v for k, v in errors.items() if k != "reason"},
                                      lambda f: item_title(form, f)) if errors else []
    if errors.get("reason"):
        summary.append({"text": errors["reason"][0], "href": "#reason"})
    return render_template("records/correct.html", view=view, record=view.record,
                           child=view.child, widgets=widgets(form, values, errors),
                           reason=reason, reason_error=(errors.get("reason") or [None])[0],
                           errors=summary, reason_cap=REASON_CAP)


def as_form_answers(fields, answers: dict) -> dict:
    """A record's stored answers as the form's inputs show them (dates in parts, yes/no)."""
    values = {}
    for f in fields:
        value = answers.get(f.name)
        if f.kind == "date":
            values[f.name] = task_form.date_parts(value)
        elif f.kind == "boolean":
            values[f.name] = "" if value is None else ("true" if value else "false")
        elif f.kind == "multichoice":
            values[f.name] = list(value or [])
        elif f.kind == "list":
            values[f.name] = [as_form_answers(f.item_fields, row) for row in value or []
                              if isinstance(row, dict)]
        else:
            values[f.name] = "" if value is None else str(value)
    return values

