"""Editing a form's JSON definition with a live preview.

The preview is rendered on the server by the same code and macros as the task page
(`form_widgets.widgets` and `form_fields.html`), so what the process owner sees is what a
practitioner will get. A definition that is not JSON, or that the form loader refuses, is
shown plainly with the line, or the path, of the problem. A UI schema (`x-uischema.json`)
previews the form it belongs to.
"""
import json

from flask import flash, redirect, render_template, request, url_for

from workflows.diagrams import form_names_for, ui_schema_names
from workflows.forms import FormDefinition, FormDefinitionError

from .diagram_drafts import Draft, drafts
from .diagram_editing import bp, draft_or_404, name_or_404
from .diagram_files import MAX_FORM_BYTES, FileRefused, checked_form, is_bpmn, is_form, is_ui_schema, json_value
from .form_widgets import widgets
from .identity import current_user
from .task_form import initial_answers


@bp.route("/<draft_id>/forms/<name>", methods=["GET", "POST"])
def edit_form(draft_id, name):
    draft = draft_or_404(draft_id)
    name = name_or_404(draft, name)
    if is_bpmn(name):
        return redirect(url_for(".edit_file", draft_id=draft.id, name=name))
    if request.method == "GET":
        return _page(draft, name, draft.read(name))
    request.max_content_length = MAX_FORM_BYTES * 2
    text = request.form.get("definition", "")
    if request.form.get("action") != "save":
        return _page(draft, name, text)
    try:
        checked_form(text, name)
    except FileRefused as exc:
        return _page(draft, name, text, refused=str(exc)), 400
    drafts().write(draft, name, text, current_user().display_name)
    flash({"heading": f"{name} saved in the draft"}, "success")
    return redirect(url_for(".edit_form", draft_id=draft.id, name=name))


@bp.post("/<draft_id>/forms/<name>/preview")
def preview_form(draft_id, name):
    """The preview alone, for the page to refresh in place."""
    draft = draft_or_404(draft_id)
    name = name_or_404(draft, name)
    request.max_content_length = MAX_FORM_BYTES * 2
    return render_template("diagrams/_form_preview.html",
                           preview=preview(draft, name, request.form.get("definition", "")))


def _page(draft: Draft, name: str, text: str, refused: str | None = None):
    shown = preview(draft, name, text)
    problems = ([refused] if refused else []) + [p for p in shown["problems"] if p != refused]
    return render_template("diagrams/form.html", draft=draft, name=name, text=text, preview=shown,
                           errors=[{"text": p, "href": "#definition"} for p in problems])


def preview(draft: Draft, name: str, text: str) -> dict:
    """What the task page would show for this definition, or the problems that stop it."""
    if not is_form(name) and not is_ui_schema(name):  # SpiffArena's process_model.json
        return {"problems": [], "form": None, "widgets": []}
    try:
        value = json_value(text, name)
        if not isinstance(value, dict):
            raise FileRefused(f"{name}: a form must be a JSON object ({{...}})")
        form_name, schema, ui_name, ui = _pair(draft, name, value)
        form = FormDefinition(form_name, schema, ui, ui_name)
    except (FileRefused, FormDefinitionError) as exc:
        return {"problems": [str(exc)], "form": None, "widgets": []}
    return {"problems": [], "form": form, "form_name": form_name,
            "widgets": widgets(form, initial_answers(form.fields), {})}


def _pair(draft: Draft, name: str, value: dict) -> tuple:
    """(form name, schema, UI schema name, UI schema): the form and its UI schema, one of
    them being edited, the other from the draft (paired as the form loader pairs them)."""
    if is_ui_schema(name):
        candidates = form_names_for(name)
        form_name = next((n for n in candidates if draft.has(n)), None)
        if form_name is None:
            raise FileRefused(f"{name} is a UI schema, but the draft has no form {candidates[0]} for it")
        return form_name, json.loads(draft.read(form_name)), name, value
    names = ui_schema_names(name)
    ui_name = next((n for n in names if draft.has(n)), names[0])
    ui = json.loads(draft.read(ui_name)) if draft.has(ui_name) else None
    return name, value, ui_name, ui
