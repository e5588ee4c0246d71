"""Oversight beyond the panel (issue 11 §6): the performance indicators over a chosen period,
per team and for the council, with charts and tables; the Corporate Parenting Board report as
PDF and XLSX; Merton's tracking meetings by age band. For the managers who may open the
dashboard; `engine.reporting` scopes every figure to the teams the signed-in user may see."""
from flask import Blueprint

bp = Blueprint("oversight", __name__, url_prefix="/oversight")

from . import board, pages  # noqa: E402,F401  (routes)
