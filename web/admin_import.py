"""`/admin/import`: an administrator brings the council's existing children on from its
permanence tracker. Upload a CSV or XLSX in the template, see the dry run (each row's errors
by field, or the position the child would take), then import. The checked rows travel in the
page (as JSON) to the import, which checks every row again before it writes anything."""
import json

from flask import Blueprint, Response, current_app, render_template, request

from engine.importing import COLUMNS, TrackerUnreadable, import_tracker, read_tracker
from engine.importing.template import MAX_ROWS, NAMES, template_csv, template_xlsx
from workflows import roles as R

from . import database
from .identity import current_user, roles_required

bp = Blueprint("admin_import", __name__, url_prefix="/admin/import")
administrators_only = roles_required(R.ADMINISTRATOR)
MAX_UPLOAD_BYTES = 5_000_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    """The dry run of an uploaded tracker: nothing is written."""
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
    report = import_tracker(database(current_app), rows, current_user().username, dry_run=True,
                            process_id=current_app.config["PERMANENCE"].process_id)
    return _page(report=report, rows=rows, filename=upload.filename)


@bp.post("/run")
@administrators_only
def run():
    """The import of the rows the dry run showed, each child whole or not at all."""
    try:
        rows = json.loads(request.form.get("rows", ""))
        if not isinstance(rows, list) or len(rows) > MAX_ROWS or not all(isinstance(r, dict) for r in rows):
            raise ValueError
        rows = [{**{n: str(r.get(n) or "") for n in NAMES}, "row": int(r.get("row") or 0)} for r in rows]
    except (ValueError, TypeError):
        return _page(file_error="The checked rows did not come back whole: upload the tracker again"), 400
    report = import_tracker(database(current_app), rows, current_user().username,
                            process_id=current_app.config["PERMANENCE"].process_id)
    status = 200 if not report.error_count else 422
    return _page(report=report, rows=rows, filename=request.form.get("filename", "")), status


def _page(report=None, rows=None, filename="", file_error=None):
    errors = [{"text": file_error, "href": "#tracker"}] if file_error else None
    return render_template("admin/import.html", columns=COLUMNS, report=report, filename=filename,
                           rows_json=json.dumps(rows) if rows else "", file_error=file_error,
                           summary=errors, max_mb=MAX_UPLOAD_BYTES // 1_000_000, max_rows=MAX_ROWS)
