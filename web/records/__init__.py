"""The child's record: each completed task's answers as a page, a print view and a PDF, and
their correction as a new revision (engine.records, engine.corrections)."""
from flask import Blueprint

bp = Blueprint("records", __name__)


@bp.after_request
def _not_kept(response):
    """A child's record is never kept by a browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response


from . import pages, panel_pages, plan_pages  # noqa: E402,F401  (routes register on bp)
