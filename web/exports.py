"""The permanence tracker as a download: CSV (streamed, dates as ISO) and XLSX (real dates),
one row per child the manager may see.

A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
return first) is written as text: in the CSV with a leading apostrophe, in the XLSX as a
string cell, so a child's name can never become a command on a manager's computer. A
control character stored before they were refused shows as U+FFFD rather than breaking the file.
"""
import csv
import io
from datetime import date

from flask import Blueprint, Response, current_app
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from engine import clock, reporting
from engine.case_event_kinds import PLACEMENT_TYPES
from engine.children import LEGAL_STATUSES
from workflows.typed_input import printable_text

from . import database
from .identity import current_user, roles_required

bp = Blueprint("exports", __name__)
managers_required = roles_required(*reporting.DASHBOARD_ROLES)

#: (key of the tracker row, heading), in the order of the columns.
COLUMNS = [
    ("reference", "Reference"), ("name", "Name"), ("date_of_birth", "Date of birth"),
    ("age", "Age"), ("team", "Team"), ("social_worker", "Social worker"),
    ("legal_status", "Legal status"), ("looked_after_on", "Looked after on"), ("stage", "Stage"),
    ("routes", "Route(s)"), ("plan_identified", "Plan identified"), ("last_ppm", "Last PPM"),
    ("last_review", "Last CLA review"), ("last_panel", "Last panel"),
    ("next_due_on", "Next deadline"), ("next_rule", "Next deadline rule"),
    ("overdue", "Anything overdue"), ("contingency", "Contingency plan"),
    ("actions", "Open and recent actions (owner, due, status, latest progress)"),
    ("placement_type", "Placement type"), ("placement_area", "Placement local or out of area"),
    ("placement_started_on", "Placement since"), ("fgc", "Family Group Conference"),
    ("fgc_held_on", "FGC held on"), ("issued_on", "Proceedings issued on"),
    ("final_hearing_due_on", "Final hearing due by (timetable)"), ("order_type", "Order made"),
    ("order_made_on", "Order made on"),
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _values(row: dict) -> list:
    """The row as cell values: dates stay dates, the rest plain text or numbers."""
    shown = dict(row)
    shown["legal_status"] = LEGAL_STATUSES.get(row["legal_status"], row["legal_status"])
    shown["routes"] = "; ".join(reporting.route_text(r) for r in row["routes"])
    shown["plan_identified"] = "Yes" if row["plan_identified"] else "No"
    shown["overdue"] = "Yes" if row["overdue"] else "No"
    shown["actions"] = "\n".join(_action(a) for a in row["actions"])
    shown["placement_type"] = PLACEMENT_TYPES.get(row["placement_type"], row["placement_type"])
    shown["placement_area"] = {"local": "Local", "out_of_area": "Out of area"}.get(
        row["placement_area"], row["placement_area"])
    shown["order_type"] = LEGAL_STATUSES.get(row["order_type"], row["order_type"])
    return [shown[key] for key, _ in COLUMNS]


def _action(a: dict) -> str:
    """One action on one line of its cell (B20, D20): what, whose, by when, where it stands,
    and the owner's latest interim progress."""
    text = (f"{a['action']} ({a['owner']}, due {a['due_on'].isoformat() if a['due_on'] else 'no date'}, "
            f"{a['status']}; {a['from']}")
    if a.get("progress"):
        text += f"; progress {a['progress']['on'].isoformat()}: {a['progress']['note']}"
    return text + ")"


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = printable_text(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _filename(extension: str) -> str:
    return f"permanence-tracker-{clock.today().isoformat()}.{extension}"


def _download_headers(extension: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{_filename(extension)}"',
            "Cache-Control": "private, no-store"}


@bp.get("/dashboard/tracker.csv")
@managers_required
def tracker_csv():
    rows = reporting.tracker_rows(database(current_app), current_user().username)
    return Response(_csv_lines(rows), mimetype="text/csv",
                    headers=_download_headers("csv"))


def _csv_lines(rows):
    """Line by line as the rows are read: a council's tracker is never held in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([heading for _, heading in COLUMNS])
    yield "\ufeff" + take()   # the byte order mark tells Excel the file is UTF-8
    for row in rows:
        writer.writerow([csv_cell(v) for v in _values(row)])
        yield take()


@bp.get("/dashboard/tracker.xlsx")
@managers_required
def tracker_xlsx():
    rows = reporting.tracker_rows(database(current_app), current_user().username)
    return Response(_workbook(rows), mimetype=XLSX_TYPE, headers=_download_headers("xlsx"))


def _workbook(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Permanence tracker")
    sheet.freeze_panes = "A2"
    for letter, (key, heading) in zip(_letters(len(COLUMNS)), COLUMNS):
        sheet.column_dimensions[letter].width = 28 if key in ("name", "stage", "routes") else 16
    bold = Font(bold=True)
    sheet.append([_cell(sheet, heading, font=bold) for _, heading in COLUMNS])
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, v) for v in _values(row)])
        count += 1
    sheet.auto_filter.ref = f"A1:{_letters(len(COLUMNS))[-1]}{count + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value, font=None):
    if isinstance(value, str):  # a control character stored before they were refused
        value = printable_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"   # text, never a formula, whatever it starts with
    elif isinstance(value, date):
        cell.number_format = "dd/mm/yyyy"
    if font is not None:
        cell.font = font
    return cell


def _letters(n: int) -> list[str]:
    return [get_column_letter(i) for i in range(1, n + 1)]
