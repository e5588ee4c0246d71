"""The event feed (the outbox, cursor-paged: `GET /api/v1/events?after=<id>`) and the
permanence tracker's rows, for systems that keep their own copy."""
from flask import current_app
from flask.views import MethodView

from engine import integration

from .. import database
from .auth import current_token, token_required
from .blueprint import ApiBlueprint
from . import schemas as S

blp = ApiBlueprint("Events", __name__, url_prefix="/api/v1",
                   description="What happened, in order, and the tracker")


@blp.route("/events")
class Events(MethodView):
    @token_required("events:read")
    @blp.arguments(S.PageArgs, location="query")
    @blp.response(200, S.EventPage)
    @blp.problems(401, 403)
    def get(self, args):
        """Events after the cursor, oldest first: task opened, completed or cancelled,
        deadline met or missed, escalation, plan changed, pathway error, child registered or
        updated. Keep the last `id` you processed and ask again with `after=` it; `next` is
        null when you have caught up. Ids only grow: de-duplicate on them."""
        token = current_token()
        items, after = integration.events_page(current_db(), token.username, token.team_ids,
                                               args["after"], args["limit"])
        return {"items": items, "next": after}


@blp.route("/tracker")
class Tracker(MethodView):
    @token_required("tracker:read")
    @blp.arguments(S.TrackerArgs, location="query")
    @blp.response(200, S.TrackerPage)
    @blp.problems(401, 403)
    def get(self, args):
        """The permanence tracker's rows, by reference (managers' roles, as the download)."""
        token = current_token()
        items, after = integration.tracker_page(current_db(), token.username, token.team_ids,
                                                args["after"], args["limit"])
        return {"items": items, "next": after}


def current_db():
    return database(current_app)
