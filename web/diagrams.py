"""The process owners' area: the published versions of each process, drafts, and moving
running pathways onto a new version.

Every request into the area (this blueprint and the ones nested in it) is checked here, on
the server: process owners may do everything; administrators may read (GET) and nothing
else; everyone else is refused (403).
"""
import json

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import func, select

from engine.migration import move_instances, plan_move
from models import DiagramVersion, PathwayInstance, User
from workflows import roles as R

from . import database, diagram_checks, diagram_forms, diagram_rehearsal  # noqa: F401 (routes)
from .diagram_drafts import drafts
from .diagram_editing import bp as drafts_bp
from .diagram_editing import file_response, incoming_files, limit_request, zip_response
from .diagram_files import PROCESS_ID, FileRefused, is_bpmn, main_process, processes
from .errors import error_page
from .identity import current_user

bp = Blueprint("diagrams", __name__, url_prefix="/diagrams")
bp.register_blueprint(drafts_bp)

READERS = frozenset({R.PROCESS_OWNER, R.ADMINISTRATOR})
EDITORS = frozenset({R.PROCESS_OWNER})
RUNNING = ("active", "error")


@bp.before_request
def _process_owners_only():
    user = current_user()
    allowed = READERS if request.method in ("GET", "HEAD") else EDITORS
    if user is None or not user.has_any(allowed):
        abort(403)


@bp.get("")
def index():
    return _index()


def _index(errors=None, status=200):
    with database(current_app).reading() as session:
        processes_ = _published(session)
    return render_template("diagrams/index.html", processes=processes_, drafts=drafts().all(),
                           errors=errors or []), status


def _published(session, process_id: str | None = None) -> list[dict]:
    """Each process with its versions, newest first, and how many running pathways each has."""
    running = dict(session.execute(
        select(PathwayInstance.diagram_version_id, func.count())
        .where(PathwayInstance.status.in_(RUNNING)).group_by(PathwayInstance.diagram_version_id)).all())
    query = (select(DiagramVersion.id, DiagramVersion.process_id, DiagramVersion.version,
                    DiagramVersion.published_by, DiagramVersion.published_at, DiagramVersion.note,
                    User.display_name)
             .outerjoin(User, User.username == DiagramVersion.published_by)
             .order_by(DiagramVersion.process_id, DiagramVersion.version.desc()))
    if process_id:
        query = query.where(DiagramVersion.process_id == process_id)
    rows = session.execute(query).all()
    found: dict[str, dict] = {}
    for row in rows:
        process = found.setdefault(row.process_id, {"id": row.process_id, "versions": []})
        process["versions"].append({
            "version": row.version, "published_by": row.display_name or row.published_by,
            "published_at": row.published_at, "note": row.note or "", "running": running.get(row.id, 0)})
    return list(found.values())


@bp.post("/drafts")
def new_draft_from_files():
    """A draft from files made elsewhere (Camunda Modeler, SpiffArena). The main process is
    the one SpiffArena's process_model.json names, or the only executable process no other
    process calls; if several could be, the draft says so until the process owner chooses."""
    limit_request()
    try:
        files = incoming_files(request.files.getlist("files"))
    except FileRefused as exc:
        return _index([{"text": str(exc), "href": "#files"}], 400)
    main, chosen = main_process(files)
    draft = drafts().create(main, None, current_user().display_name, files, process_chosen=chosen)
    return redirect(url_for("diagrams.drafts.show", draft_id=draft.id))


def version_or_404(process_id: str, version: int) -> DiagramVersion:
    if not PROCESS_ID.match(process_id):
        abort(404)
    with database(current_app).reading() as session:
        row = session.scalar(select(DiagramVersion).where(
            DiagramVersion.process_id == process_id, DiagramVersion.version == version))
        if row is None:
            abort(404)
        session.expunge(row)
        return row


@bp.get("/<process_id>/versions/<int:version>")
def version(process_id, version):
    row = version_or_404(process_id, version)
    with database(current_app).reading() as session:
        about = next(v for v in _published_one(session, process_id) if v["version"] == version)
        latest = session.scalar(select(func.max(DiagramVersion.version))
                                .where(DiagramVersion.process_id == process_id))
    return render_template(
        "diagrams/version.html", row=row, about=about, latest=latest,
        diagrams=[{"name": n, "processes": processes(x)} for n, x in sorted(row.bpmn_files.items())],
        forms=sorted(row.form_files))


def _published_one(session, process_id: str) -> list[dict]:
    return next((p["versions"] for p in _published(session, process_id)), [])


@bp.get("/<process_id>/versions/<int:version>/files/<name>")
def version_file(process_id, version, name):
    row = version_or_404(process_id, version)
    files = row.bpmn_files if name.endswith(".bpmn") else row.form_files
    if name not in files:
        abort(404)
    text = files[name] if is_bpmn(name) else _json_text(files[name])
    return file_response(text, name)


@bp.get("/<process_id>/versions/<int:version>/files/<name>/view")
def view_file(process_id, version, name):
    """A published diagram, drawn read-only (administrators may look; nobody edits a version)."""
    row = version_or_404(process_id, version)
    if name not in row.bpmn_files:
        abort(404)
    return render_template("diagrams/view.html", row=row, name=name)


@bp.get("/<process_id>/versions/<int:version>/bundle.zip")
def version_zip(process_id, version):
    row = version_or_404(process_id, version)
    files = {**row.bpmn_files, **{n: _json_text(f) for n, f in row.form_files.items()}}
    return zip_response(files, f"{process_id}-v{version}.zip")


def _json_text(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@bp.post("/<process_id>/versions/<int:version>/drafts")
def new_draft(process_id, version):
    """A draft holding a copy of every file of the version; `open` names a BPMN file to open
    in the modeler straight away."""
    row = version_or_404(process_id, version)
    files = {**row.bpmn_files, **{n: _json_text(f) for n, f in row.form_files.items()}}
    try:
        draft = drafts().create(process_id, version, current_user().display_name, files)
    except FileRefused as exc:  # a version published from a folder with an unusual file name
        return error_page(400, f"This version cannot be copied into a draft: {exc}")
    opening = request.form.get("open", "")
    if opening in row.bpmn_files:
        return redirect(url_for("diagrams.drafts.edit_file", draft_id=draft.id, name=opening))
    return redirect(url_for("diagrams.drafts.show", draft_id=draft.id))


@bp.get("/<process_id>/versions/<int:version>/move")
def plan(process_id, version):
    """The dry run: every running pathway on an older version, whether it can move, and why not."""
    version_or_404(process_id, version)
    candidates = plan_move(database(current_app), process_id, version)
    return render_template("diagrams/move.html", process_id=process_id, version=version,
                           candidates=candidates, report=None)


@bp.post("/<process_id>/versions/<int:version>/move")
def move(process_id, version):
    version_or_404(process_id, version)
    db = database(current_app)
    candidates = {c.instance_id: c for c in plan_move(db, process_id, version)}
    report = move_instances(db, process_id, version, current_user().username)
    moved = [candidates[i] for i in report.moved if i in candidates]
    return render_template("diagrams/move.html", process_id=process_id, version=version,
                           candidates=None, report={"moved": moved, "stayed": report.not_moved})
