"""A draft and its files: the draft page, bringing files in (upload, a new diagram or form),
taking them out (one file, or the whole bundle as a zip), the bpmn-js modeler and its save.

Every file that comes in passes `diagram_files` first (safe XML parsing, sizes, names).
"""
import io
import re
import json
import zipfile

from flask import (
    Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for,
)

from workflows.roles import LANE_ROLES
from workflows.rules import RULES
from workflows.stages import STAGE_ORDER

from .diagram_drafts import Draft, DraftNotFound, drafts
from .diagram_files import (
    MAX_BPMN_BYTES, MAX_REQUEST_BYTES, PROCESS_ID, FileRefused, blank_bpmn, blank_form,
    checked_bpmn, checked_form, checked_name, is_bpmn, is_form, is_ui_schema, processes,
)
from .identity import current_user

bp = Blueprint("drafts", __name__, url_prefix="/drafts")


def draft_or_404(draft_id: str) -> Draft:
    try:
        return drafts().get(draft_id)
    except DraftNotFound:
        abort(404)


def name_or_404(draft: Draft, name: str) -> str:
    try:
        if draft.has(name):
            return name
    except FileRefused:
        pass
    abort(404)


def incoming_files(files) -> dict[str, str]:
    """Uploaded files, each checked: {name: text}. FileRefused for the first bad one."""
    checked = {}
    for upload in files:
        if not upload or not upload.filename:
            continue
        name = checked_name(upload.filename.replace("\\", "/").rsplit("/", 1)[-1])
        data = upload.read(MAX_BPMN_BYTES + 1)
        checked[name] = checked_bpmn(data, name) if is_bpmn(name) else checked_form(data, name)
    if not checked:
        raise FileRefused("Choose one or more .bpmn or .json files to upload")
    return checked


def limit_request() -> None:
    """Refuse an oversized request before Werkzeug reads its body."""
    request.max_content_length = MAX_REQUEST_BYTES


@bp.get("/<draft_id>")
def show(draft_id):
    draft = draft_or_404(draft_id)
    return render_template("diagrams/draft.html", draft=draft, **_contents(draft))


def _contents(draft: Draft) -> dict:
    diagrams, forms = [], []
    for name in draft.names():
        if is_bpmn(name):
            diagrams.append({"name": name, "processes": processes(draft.read(name))})
        else:
            title = _form_title(draft, name) if is_form(name) else "Process metadata from SpiffArena (not a form)"
            forms.append({"name": name, "title": title,
                          "ui_schema": is_ui_schema(name)})
    process_ids = sorted({p["id"] for d in diagrams for p in d["processes"]})
    return {"diagrams": diagrams, "forms": forms, "process_ids": process_ids}


def _form_title(draft: Draft, name: str) -> str:
    try:
        value = json.loads(draft.read(name))
    except ValueError:
        return ""
    return value.get("title", "") if isinstance(value, dict) and isinstance(value.get("title"), str) else ""


@bp.post("/<draft_id>/process")
def set_process(draft_id):
    draft = draft_or_404(draft_id)
    process_id = request.form.get("process_id", "").strip()
    if not PROCESS_ID.match(process_id):
        abort(400)
    drafts().set_process(draft, process_id, current_user().display_name)
    flash({"heading": f"The draft now publishes the process '{process_id}'"}, "success")
    return redirect(url_for(".show", draft_id=draft.id))


@bp.post("/<draft_id>/upload")
def upload(draft_id):
    draft = draft_or_404(draft_id)
    limit_request()
    try:
        files = incoming_files(request.files.getlist("files"))
        for name, text in files.items():
            drafts().write(draft, name, text, current_user().display_name)
    except FileRefused as exc:
        return _draft_error(draft, str(exc), "files")
    flash({"heading": "Uploaded " + ", ".join(sorted(files))}, "success")
    return redirect(url_for(".show", draft_id=draft.id))


#: Fields whose input has another id on the draft page (the main process select is `process_id`).
_INPUT_IDS = {"process_id": "new_process_id"}


def _draft_error(draft: Draft, message: str, field: str):
    href = f"#{_INPUT_IDS.get(field, field)}"
    return render_template("diagrams/draft.html", draft=draft, errors=[{"text": message, "href": href}],
                           field_errors={field: message}, **_contents(draft)), 400


@bp.post("/<draft_id>/new-diagram")
def new_diagram(draft_id):
    draft = draft_or_404(draft_id)
    process_id = request.form.get("process_id", "").strip()
    if not PROCESS_ID.match(process_id):
        return _draft_error(draft, "Enter a process id: letters, digits and '_', starting with a letter",
                            "process_id")
    name = f"{process_id}.bpmn"
    if draft.has(name):
        return _draft_error(draft, f"The draft already has a file {name}", "process_id")
    title = request.form.get("title", "").strip() or process_id.replace("_", " ").capitalize()
    drafts().write(draft, name, blank_bpmn(process_id, title[:200]), current_user().display_name)
    return redirect(url_for(".edit_file", draft_id=draft.id, name=name))


@bp.post("/<draft_id>/new-form")
def new_form(draft_id):
    draft = draft_or_404(draft_id)
    raw = request.form.get("form_name", "").strip()
    try:
        name = checked_name(raw if raw.endswith(".json") else f"{raw}.json")
    except FileRefused as exc:
        return _draft_error(draft, str(exc), "form_name")
    if draft.has(name):
        return _draft_error(draft, f"The draft already has a file {name}", "form_name")
    drafts().write(draft, name, blank_form(name[:-5].replace("-", " ").capitalize()),
                   current_user().display_name)
    return redirect(url_for("diagrams.drafts.edit_form", draft_id=draft.id, name=name))


@bp.get("/<draft_id>/files/<name>")
def download(draft_id, name):
    draft = draft_or_404(draft_id)
    return file_response(draft.read(name_or_404(draft, name)), name)


def file_response(text: str, name: str) -> Response:
    """A file to save (a download) that a script may also fetch."""
    mimetype = "application/xml" if is_bpmn(name) else "application/json"
    response = Response(text, mimetype=mimetype)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)  # never a quote or a line break in a header
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/<draft_id>/files/<name>")
def save(draft_id, name):
    """The modeler's save: the diagram's XML as the request body."""
    draft = draft_or_404(draft_id)
    name = name_or_404(draft, name)
    if not is_bpmn(name):
        abort(404)
    request.max_content_length = MAX_BPMN_BYTES
    try:
        text = checked_bpmn(request.get_data(cache=False), name)
    except FileRefused as exc:
        return jsonify({"saved": False, "message": str(exc)}), 400
    drafts().write(draft, name, text, current_user().display_name)
    return jsonify({"saved": True, "message": f"{name} saved in the draft"})


@bp.post("/<draft_id>/files/<name>/remove")
def remove(draft_id, name):
    draft = draft_or_404(draft_id)
    drafts().remove(draft, name_or_404(draft, name), current_user().display_name)
    flash({"heading": f"{name} was removed from the draft"}, "success")
    return redirect(url_for(".show", draft_id=draft.id))


@bp.get("/<draft_id>/files/<name>/edit")
def edit_file(draft_id, name):
    """The bpmn-js modeler, with a side form for this project's task properties."""
    draft = draft_or_404(draft_id)
    name = name_or_404(draft, name)
    if not is_bpmn(name):
        return redirect(url_for("diagrams.drafts.edit_form", draft_id=draft.id, name=name))
    forms = [n for n in draft.names() if is_form(n)]
    return render_template("diagrams/modeler.html", draft=draft, name=name, forms=forms,
                           rules=RULES, roles=LANE_ROLES, stages=STAGE_ORDER,
                           element=request.args.get("element", ""))


@bp.get("/<draft_id>/bundle.zip")
def bundle_zip(draft_id):
    draft = draft_or_404(draft_id)
    return zip_response({n: draft.read(n) for n in draft.names()}, f"{draft.process_id}-draft.zip")


def zip_response(files: dict[str, str], name: str) -> Response:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, text in sorted(files.items()):
            archive.writestr(file_name, text)
    response = Response(buffer.getvalue(), mimetype="application/zip")
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)  # never a quote or a line break in a header
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<draft_id>/discard")
def discard(draft_id):
    draft = draft_or_404(draft_id)
    drafts().discard(draft)
    flash({"heading": f"The draft of {draft.process_id} was discarded"}, "success")
    return redirect(url_for("diagrams.index"))
