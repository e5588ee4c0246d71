"""The child's case details (issue 12, sections 6 to 8): identity and needs, family time,
siblings and their together-or-apart assessment. Forms keep everything typed beside their
errors; `engine.casework` checks, versions, audits and decides who may see and change."""
from flask import Blueprint

bp = Blueprint("casework", __name__)

from . import network_pages, pages  # noqa: E402,F401  (routes)


def _iso_date(value) -> str:
    """A date kept as ISO text in a version's data, in words ("2 March 2026")."""
    from workflows.calendar import as_date
    from ..dates import long_date
    return long_date(as_date(value)) if value else ""


bp.add_app_template_filter(_iso_date, "iso_date")
