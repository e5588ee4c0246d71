"""The performance page and the tracking meeting page."""
from flask import current_app, render_template, request, url_for

from engine import clock, reporting
from engine.reporting.tracking import route_names

from .. import database
from ..identity import current_user, roles_required
from . import bp, charts, period
from .tables import short_month, tables, text

managers_required = roles_required(*reporting.DASHBOARD_ROLES)


def chosen_period():
    return period.period(request.args, clock.today())


@bp.get("/performance")
@managers_required
def performance():
    chosen = chosen_period()
    if chosen.errors:
        return render_template("oversight/performance.html", chosen=chosen, errors=chosen.errors,
                               board=None), 400
    board = reporting.performance(database(current_app), current_user().username,
                                  chosen.dates["from"], chosen.dates["to"])
    query = chosen.query()
    return render_template(
        "oversight/performance.html", chosen=chosen, errors=None, board=board,
        tables=tables(board), text=text, charts=performance_charts(board),
        pdf_url=url_for("oversight.board_pdf", **query),
        print_url=url_for("oversight.board_print", **query),
        xlsx_url=url_for("oversight.board_xlsx", **query))


def performance_charts(board) -> list:
    """The figures of the last column (the council, or the team manager's team)."""
    last = -1
    return [
        charts.bars("chart-clocks", f"Statutory clocks met on time by rule, {board.columns[last]}",
                    [(f"{row.key}: {row.label}", row.cells[last].percent, text(row.cells[last]))
                     for row in board.clocks]),
        charts.columns("chart-months", f"Statutory clocks met on time by month, {board.columns[last]}",
                       [(short_month(m.month), m.clocks.percent, text(m.clocks)) for m in board.months]),
    ]


@bp.get("/tracking")
@managers_required
def tracking():
    band = request.args.get("band", "0-5")
    chosen = period.meeting_date(request.args, clock.today())
    errors = list(chosen.errors)
    if band not in reporting.TRACKING_BANDS:
        errors.append({"text": "Choose an age band: 0 to 5, or 6 to 18", "href": "#band"})
        band = "0-5"
    if errors:
        return render_template("oversight/tracking.html", chosen=chosen, errors=errors, band=band,
                               meeting=None, bands=reporting.TRACKING_BANDS), 400
    meeting = reporting.tracking_meeting(database(current_app), current_user().username, band,
                                         chosen.dates["meeting_on"])
    return render_template("oversight/tracking.html", chosen=chosen, errors=None, band=band,
                           meeting=meeting, bands=reporting.TRACKING_BANDS,
                           route_names=route_names, today=clock.today())
