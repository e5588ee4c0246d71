"""Panel papers: each child's pack as a page and a PDF, and the whole agenda's packs as one
PDF (D14, N7)."""
from flask import current_app, render_template, request, url_for

from engine import casework, panel_minutes, panel_pack, reporting
from workflows import local_settings

from .. import database
from ..identity import current_user
from ..panel import _chosen, _slots, panel_required  # the panel page's own date check and roles
from . import bp, documents


def _casework(packs) -> dict:
    """Each child's case details as the panel member may see them (read-only in the papers)."""
    db, username = database(current_app), current_user().username
    return {p.child["id"]: casework.details_for(db, p.child["id"], username) for p in packs}


@bp.get("/panel/children/<int:child_id>/pack")
@panel_required
def pack(child_id):
    the_pack = panel_pack.child_pack(database(current_app), child_id, current_user().username, "page")
    return render_template("records/pack.html", child=the_pack.child,
                           **documents.packs_document([the_pack], casework=_casework([the_pack])),
                           pdf_url=url_for("records.pack_pdf", child_id=child_id))


@bp.get("/panel/children/<int:child_id>/pack.pdf")
@panel_required
def pack_pdf(child_id):
    the_pack = panel_pack.child_pack(database(current_app), child_id, current_user().username, "pdf")
    html = render_template("records/print.html",
                           **documents.packs_document([the_pack], casework=_casework([the_pack])),
                           printable=False)
    return documents.pdf_response(html, f"{the_pack.child['reference']}-panel-pack.pdf")


@bp.get("/panel/packs.pdf")
@panel_required
def agenda_pdf():
    panel_date, _start, errors = _chosen(request.args)
    if errors:
        return render_template("error.html", title="There is a problem with the panel date",
                               message=errors[0]["text"]), 400
    packs = panel_pack.agenda_packs(database(current_app), current_user().username, panel_date)
    document = documents.packs_document(packs, panel_date, casework=_casework(packs))
    html = render_template("records/print.html", **document, printable=False)
    return documents.pdf_response(html, f"panel-papers-{panel_date.isoformat()}.pdf")


def _panel_date():
    panel_date, _start, errors = _chosen(request.args)
    if errors:
        return None, (render_template("error.html", title="There is a problem with the panel date",
                                      message=errors[0]["text"]), 400)
    return panel_date, None


def _date_args(panel_date) -> dict:
    return {"panel_date-day": panel_date.day, "panel_date-month": panel_date.month,
            "panel_date-year": panel_date.year}


@bp.get("/panel/minutes")
@panel_required
def minutes():
    """The minutes to read and print (D19): each child's considerations, recommendation and
    actions, as recorded for that panel date."""
    panel_date, problem = _panel_date()
    if problem:
        return problem
    found = panel_minutes.panel_minutes(database(current_app), current_user().username, panel_date, "page")
    return render_template("records/print.html", **documents.minutes_document(found, panel_date),
                           printable=True, pdf_url=url_for("records.minutes_pdf", **_date_args(panel_date)),
                           empty_message="No outcome has been recorded for a panel on this date yet.")


@bp.get("/panel/minutes.pdf")
@panel_required
def minutes_pdf():
    panel_date, problem = _panel_date()
    if problem:
        return problem
    found = panel_minutes.panel_minutes(database(current_app), current_user().username, panel_date, "pdf")
    html = render_template("records/print.html", **documents.minutes_document(found, panel_date),
                           printable=False, empty_message="No outcome has been recorded for a panel on this date yet.")
    return documents.pdf_response(html, f"panel-minutes-{panel_date.isoformat()}.pdf")


def _agenda_page(printable: bool):
    panel_date, start, errors = _chosen(request.args)
    if errors:
        return None, None, (render_template("error.html", title="There is a problem with the panel date",
                                            message=errors[0]["text"]), 400)
    agenda = reporting.panel(database(current_app), current_user().username, panel_date)
    html = render_template("panel/agenda_print.html", agenda=agenda, slots=_slots(agenda, start),
                           head=documents.heading(None), printable=printable,
                           members=[title for _key, title in local_settings.panel().members],
                           pdf_url=url_for("records.agenda_pdf_file", **_date_args(panel_date),
                                           start=f"{start:%H:%M}"))
    return panel_date, html, None


@bp.get("/panel/agenda")
@panel_required
def agenda_print():
    """The agenda to print or send (N1): slots, cohort, why, the papers check."""
    _day, html, problem = _agenda_page(printable=True)
    return problem or html


@bp.get("/panel/agenda.pdf")
@panel_required
def agenda_pdf_file():
    panel_date, html, problem = _agenda_page(printable=False)
    if problem:
        return problem
    return documents.pdf_response(html, f"panel-agenda-{panel_date.isoformat()}.pdf")
