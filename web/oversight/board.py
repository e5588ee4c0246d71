"""The Corporate Parenting Board report (HAL flowchart: the Board monitors the timely
progression of all plans; I3): the performance indicators over a period as a print view, a
PDF made on the server with the records' machinery (WeasyPrint, print.css, the council's name
and the protective marking), and an XLSX workbook of the same tables (openpyxl)."""
import io

from flask import Response, current_app, render_template, url_for
from openpyxl import Workbook
from openpyxl.styles import Font

from engine import reporting
from engine.reporting.performance import Days, Share

from .. import database
from ..dates import long_date
from ..exports import XLSX_TYPE
from ..identity import current_user
from ..records import documents
from . import bp
from .pages import chosen_period, managers_required, performance_charts
from .tables import tables, text


def _board():
    """The chosen period's figures, or the response that says what is wrong with it."""
    chosen = chosen_period()
    if chosen.errors:
        return None, None, (render_template(
            "error.html", title="There is a problem with the period",
            message=" ".join(e["text"] for e in chosen.errors)), 400)
    board = reporting.performance(database(current_app), current_user().username,
                                  chosen.dates["from"], chosen.dates["to"])
    return chosen, board, None


def _title(board) -> str:
    return f"Permanence: performance {long_date(board.start)} to {long_date(board.end)}"


def _html(board, printable: bool, chosen=None) -> str:
    head = documents.heading(None)
    return render_template(
        "oversight/board_print.html", head=head, title=_title(board), board=board,
        scope_name=board.columns[-1] if not board.scope.every_team else "All teams",
        tables=tables(board), text=text, charts=performance_charts(board), printable=printable,
        pdf_url=url_for("oversight.board_pdf", **chosen.query()) if chosen else None)


@bp.get("/performance/board")
@managers_required
def board_print():
    chosen, board, problem = _board()
    return problem or _html(board, printable=True, chosen=chosen)


@bp.get("/performance/board.pdf")
@managers_required
def board_pdf():
    _chosen, board, problem = _board()
    if problem:
        return problem
    return documents.pdf_response(_html(board, printable=False), _filename(board, "pdf"))


@bp.get("/performance/board.xlsx")
@managers_required
def board_xlsx():
    _chosen, board, problem = _board()
    if problem:
        return problem
    response = Response(workbook(board), mimetype=XLSX_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(board, "xlsx")}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _filename(board, extension: str) -> str:
    return f"permanence-performance-{board.start.isoformat()}-to-{board.end.isoformat()}.{extension}"


SHEETS = {"headline": "Headline", "clocks": "Clocks by rule", "days": "Days from entering care",
          "months": "By month"}


def workbook(board) -> bytes:
    """A sheet per table. A share is three columns (on time, counted, per cent as a fraction
    formatted 0%), days two (median, children), so the Board's analysts can work with them."""
    book = Workbook()
    about = book.active
    about.title = "About"
    bold = Font(bold=True)
    about.append([current_app.config["PERMANENCE"].council_name])
    about.append([_title(board)])
    about.append(["Teams", "All teams" if board.scope.every_team else board.columns[0]])
    about.append(["From", board.start])
    about.append(["To", board.end])
    about.append(["Figures as at", board.as_of])
    about.append(["Marking", documents.MARKING])
    about["A1"].font = about["A2"].font = bold
    for row in about.iter_rows(min_row=4, max_row=6, min_col=2, max_col=2):
        row[0].number_format = "dd/mm/yyyy"
    about.column_dimensions["A"].width = 24
    for table in tables(board):
        sheet = book.create_sheet(SHEETS[table.key])
        header, kinds = [table.columns[0]], []
        first = table.rows[0][2] if table.rows else []
        for name, cell in zip(table.columns[1:], first):
            if isinstance(cell, Share):
                header += [f"{name}: on time", f"{name}: counted", f"{name}: %"]
            elif isinstance(cell, Days):
                header += [f"{name}: median days", f"{name}: children"]
            else:
                header.append(name)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
        for _key, label, cells in table.rows:
            values = [label]
            for cell in cells:
                if isinstance(cell, Share):
                    values += [cell.met, cell.counted, None if not cell.counted else cell.met / cell.counted]
                elif isinstance(cell, Days):
                    values += [cell.median, cell.children]
                else:
                    values.append(cell)
            sheet.append(values)
        for row in sheet.iter_rows(min_row=2):
            for cell, head in zip(row, header):
                if head.endswith(": %"):
                    cell.number_format = "0%"
        sheet.column_dimensions["A"].width = 60
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
