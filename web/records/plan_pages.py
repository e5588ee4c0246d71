"""The child's permanence plan as a page of its own, a print view and a PDF: what the
social worker sends to the IRO, the family or the court (D9)."""
from flask import current_app, render_template, url_for

from engine import casework, plan as engine_plan
from engine.reporting import route_text

from .. import database
from ..identity import child_viewers_required, current_user
from ..casework.documents import sections as casework_sections
from . import bp, documents

bp.add_app_template_global(route_text, "route_text")
bp.add_app_template_global(documents.plan_blocks, "plan_blocks")


def _casework(child_id: int) -> dict:
    """The child's case details, shown read-only with the plan (K3 sibling contact, K5
    family time, K9 to K14 identity and needs)."""
    return casework.details_for(database(current_app), child_id, current_user().username)


@bp.get("/children/<int:child_id>/plan")
@child_viewers_required
def plan(child_id):
    child, the_plan = engine_plan.plan_for(database(current_app), child_id, current_user().username,
                                           purpose="plan page")
    return render_template("records/plan.html", child=child, plan=the_plan,
                           casework_sections=casework_sections(_casework(child_id)))


@bp.get("/children/<int:child_id>/plan/print")
@child_viewers_required
def plan_print(child_id):
    child, the_plan = engine_plan.plan_for(database(current_app), child_id, current_user().username,
                                           purpose="plan print")
    return render_template("records/print.html", **documents.plan_document(child, the_plan, _casework(child_id)),
                           pdf_url=url_for("records.plan_pdf", child_id=child_id), printable=True)


@bp.get("/children/<int:child_id>/plan.pdf")
@child_viewers_required
def plan_pdf(child_id):
    child, the_plan = engine_plan.plan_for(database(current_app), child_id, current_user().username,
                                           purpose="plan pdf")
    html = render_template("records/print.html", **documents.plan_document(child, the_plan, _casework(child_id)),
                           printable=False)
    return documents.pdf_response(html, f"{child['reference']}-permanence-plan.pdf")
