"""The panel invitation as a calendar file (N2, B14, C7): /panel/<date>/invitation.ics, for
the people invited to that panel (their children on it, or the panel's own roles), checked by
`engine.panel_calendar` for every request. Linked from the inbox's invitation and from the
invitation e-mail."""
from datetime import date

from flask import Blueprint, Response, abort, current_app, request

from engine.panel_calendar import invitation_ics

from . import database
from .identity import current_user

bp = Blueprint("panel_calendar", __name__)


@bp.get("/panel/<day>/invitation.ics")
def invitation(day: str):
    try:
        panel_date = date.fromisoformat(day)
    except ValueError:
        abort(404)
    text = invitation_ics(database(current_app), current_user().username, panel_date,
                          request.host_url)
    return Response(text, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="permanence-panel-{panel_date.isoformat()}.ics"',
        "Cache-Control": "private, no-store"})
