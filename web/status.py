"""The service status page and health check: what is running, on which clock, and how many
pathways are active, due or in error. The health check is open to monitoring; the status
page, like every page, needs a signed-in user."""
from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import func, select, text

from engine import clock
from models import DiagramVersion, PathwayInstance

bp = Blueprint("status", __name__)


def _summary() -> dict:
    from . import database
    db = database(current_app)
    with db.reading() as session:
        session.execute(text("SELECT 1"))
        counts = dict(session.execute(select(PathwayInstance.status, func.count())
                                      .group_by(PathwayInstance.status)).all())
        due = session.scalar(select(func.count()).select_from(PathwayInstance).where(
            PathwayInstance.status == "active", PathwayInstance.next_due_at <= clock.now()))
        versions = session.execute(select(DiagramVersion.process_id, func.max(DiagramVersion.version))
                                   .group_by(DiagramVersion.process_id)).all()
    return {"status": "ok", "clock": clock.now().isoformat(), "database": db.engine.dialect.name,
            "pathways": counts, "timers_due": due,
            "diagrams": {process: version for process, version in versions}}


@bp.get("/healthz")
def health():
    return jsonify(_summary())


@bp.get("/status")
def home():
    return render_template("status.html", summary=_summary())
