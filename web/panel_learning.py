"""The panel's look back over a period (G5, G6, G7): disruptions of placements and whether the
panel reviewed them, the learning themes it recorded and where its actions stand, and its
monitoring of Family Group Conferences. A page with a period form, a print view and a PDF;
panel roles only, for the children they may see (`engine.panel_learning`)."""
from flask import Blueprint, current_app, render_template, request, url_for

from engine import clock, panel_learning, reporting

from . import database
from .identity import current_user, roles_required
from .oversight import period
from .records import documents

bp = Blueprint("panel_learning", __name__)
panel_required = roles_required(*reporting.PANEL_ROLES)


def _found():
    chosen = period.period(request.args, clock.today())
    if chosen.errors:
        return chosen, None
    return chosen, panel_learning.panel_learning(database(current_app), current_user().username,
                                                 chosen.dates["from"], chosen.dates["to"])


@bp.get("/panel/learning")
@panel_required
def learning():
    chosen, found = _found()
    if found is None:
        return render_template("panel/learning.html", chosen=chosen, errors=chosen.errors, found=None), 400
    query = chosen.query()
    return render_template("panel/learning.html", chosen=chosen, errors=None, found=found,
                           print_url=url_for("panel_learning.learning_print", **query),
                           pdf_url=url_for("panel_learning.learning_pdf", **query))


def _print(printable: bool):
    chosen, found = _found()
    if found is None:
        return None, (render_template("error.html", title="There is a problem with the period",
                                      message=chosen.errors[0]["text"]), 400)
    return found, render_template("panel/learning_print.html", found=found, head=documents.heading(None),
                                  printable=printable,
                                  pdf_url=url_for("panel_learning.learning_pdf", **chosen.query()))


@bp.get("/panel/learning/print")
@panel_required
def learning_print():
    _found_, html = _print(printable=True)
    return html


@bp.get("/panel/learning.pdf")
@panel_required
def learning_pdf():
    found, html = _print(printable=False)
    if found is None:
        return html
    return documents.pdf_response(html, f"panel-learning-{found.start.isoformat()}-to-{found.end.isoformat()}.pdf")
