"""`/admin/import`: an administrator brings the council's existing children on from its
permanence tracker. Upload a CSV or XLSX in the template, see the dry run (each row's errors
by field, or the position the child would take), then import.

The checked file is kept on the server (`PERMANENCE_INSTANCE_DIR/imports/`, under a random
name the page carries) until it is imported, so the import reads exactly the file that was
checked, and checks every row again before it writes anything. Kept files are removed once
imported, and after a day if never imported."""
import re
import secrets
import time
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request

from engine.importing import COLUMNS, TrackerUnreadable, import_tracker, read_tracker
from engine.importing.template import template_csv, template_xlsx
from workflows import roles as R

from . import database
from .identity import current_user, roles_required

bp = Blueprint("admin_import", __name__, url_prefix="/admin/import")
administrators_only = roles_required(R.ADMINISTRATOR)
MAX_UPLOAD_BYTES = 5_000_000
#: Each child is replayed through the engine (about a second each on a busy server), within
#: the request: a larger tracker goes through `permanence import`, or in parts.
MAX_PAGE_ROWS = 1000
KEEP_SECONDS = 24 * 3600
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,40}\.(csv|xlsx)")


@bp.get("")
@administrators_only
def index():
    return _page()


@bp.get("/template.csv")
@administrators_only
def template_as_csv():
    return Response(template_csv(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=permanence-import-template.csv"})


@bp.get("/template.xlsx")
@administrators_only
def template_as_xlsx():
    return Response(template_xlsx(), mimetype=XLSX_TYPE, headers={
        "Content-Disposition": "attachment; filename=permanence-import-template.xlsx"})


@bp.post("/check")
@administrators_only
def check():
    """The dry run of an uploaded tracker: nothing is written but the kept file."""
    upload = request.files.get("tracker")
    if upload is None or not upload.filename:
        return _page(file_error="Select the tracker to check (a CSV or XLSX file)"), 400
    content = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        return _page(file_error=f"The tracker must be smaller than {MAX_UPLOAD_BYTES // 1_000_000} MB"), 400
    try:
        rows = read_tracker(upload.filename, content)
    except TrackerUnreadable as exc:
        return _page(file_error=str(exc)), 400
    if not rows:
        return _page(file_error="The tracker has its headings but no children"), 400
    if len(rows) > MAX_PAGE_ROWS:
        return _page(file_error=f"The tracker has {len(rows)} children: this page checks up to "
                                f"{MAX_PAGE_ROWS} at a time. Split it, or use the command "
                                f"`permanence import FILE --dry-run --as {current_user().username}`"), 400
    report = import_tracker(database(current_app), rows, current_user().username, dry_run=True,
                            process_id=current_app.config["PERMANENCE"].process_id)
    token = _keep(upload.filename, content) if report.count("ready") else ""
    return _page(report=report, token=token, filename=Path(upload.filename).name)


@bp.post("/run")
@administrators_only
def run():
    """The import of the file the dry run checked, each child whole or not at all."""
    token, filename = request.form.get("token", ""), request.form.get("filename", "")
    path = _kept(token)
    if path is None:
        return _page(file_error="The checked tracker is no longer here (it is kept for a day): "
                                "upload it again"), 400
    try:
        rows = read_tracker(path.name, path.read_bytes())
    except TrackerUnreadable as exc:
        return _page(file_error=str(exc)), 400
    report = import_tracker(database(current_app), rows, current_user().username,
                            process_id=current_app.config["PERMANENCE"].process_id)
    path.unlink(missing_ok=True)
    return _page(report=report, filename=filename), (422 if report.error_count else 200)


def _folder() -> Path:
    return Path(current_app.config["PERMANENCE"].instance_dir) / "imports"


def _keep(filename: str, content: bytes) -> str:
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():  # a checked file never imported goes after a day
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(18) + (".xlsx" if filename.lower().endswith(".xlsx") else ".csv")
    (folder / token).write_bytes(content)
    return token


def _kept(token: str) -> Path | None:
    if not _TOKEN.fullmatch(token or ""):
        return None
    path = _folder() / token
    return path if path.is_file() else None


def _page(report=None, token="", filename="", file_error=None):
    errors = [{"text": file_error, "href": "#tracker"}] if file_error else None
    return render_template("admin/import.html", columns=COLUMNS, report=report, filename=filename,
                           token=token, file_error=file_error, summary=errors,
                           max_mb=MAX_UPLOAD_BYTES // 1_000_000, max_rows=MAX_PAGE_ROWS)
