"""Panel papers: each child's pack as a page and a PDF, and the whole agenda's packs as one
PDF (D14, N7)."""
from flask import current_app, render_template, request, url_for

from engine import casework, panel_pack

from .. import database
from ..identity import current_user
from ..panel import _chosen, panel_required  # the panel page's own date check and roles
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
