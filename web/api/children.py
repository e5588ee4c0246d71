"""Children: list, register (the pathway starts with them), show, change the safe details,
and read the position and the statutory deadlines. Registration goes through
`engine.register_child`, so the API refuses exactly what the page refuses."""
from flask import current_app
from flask.views import MethodView

import engine
from engine import integration

from .. import database
from .auth import current_token, token_required
from .blueprint import ApiBlueprint
from .idempotency import idempotent
from . import schemas as S

blp = ApiBlueprint("Children", __name__, url_prefix="/api/v1/children",
                   description="Children in care and their pathways")


def _db():
    return database(current_app)


@blp.route("")
class Children(MethodView):
    @token_required("children:read")
    @blp.arguments(S.PageArgs, location="query")
    @blp.response(200, S.ChildPage)
    @blp.problems(401, 403)
    def get(self, args):
        """Children the token may see, oldest registration first."""
        token = current_token()
        items, after = integration.children_page(_db(), token.username, token.team_ids,
                                                 args["after"], args["limit"])
        return {"items": items, "next": after}

    @token_required("children:write")
    @idempotent
    @blp.arguments(S.ChildCreate)
    @blp.response(201, S.Outcome)
    @blp.problems(401, 403, 409)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def post(self, details):
        """Register a child who has become looked after and start their pathway."""
        token = current_token()
        integration.check_team(_db(), details["team"], token.team_ids)
        registered = engine.register_child(_db(), details, token.username,
                                           process_id=current_app.config["PERMANENCE"].process_id)
        return {"child_id": registered.child_id, **_outcome(registered.outcome)}


@blp.route("/before-care")
class ChildrenBeforeCare(MethodView):
    @token_required("children:write")
    @idempotent
    @blp.arguments(S.ChildBeforeCareCreate)
    @blp.response(201, S.Outcome)
    @blp.problems(401, 403, 404, 409)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def post(self, details):
        """Register a child known before they are looked after (A10, B1, E18): on the edge of
        care or unborn. Their work before care starts; no looked-after clock runs yet."""
        token = current_token()
        integration.check_team(_db(), details["team"], token.team_ids)
        registered = engine.register_before_care(_db(), details, token.username)
        return {"child_id": registered.child_id, **_outcome(registered.outcome)}


def _outcome(outcome) -> dict:
    return {"instance_id": outcome.instance_id, "status": outcome.status, "error": outcome.error,
            "opened": outcome.opened}


@blp.route("/<int(max=2147483647):child_id>")
class OneChild(MethodView):
    @token_required("children:read")
    @blp.response(200, S.Child)
    @blp.problems(401, 403, 404)
    def get(self, child_id):
        """A child's details (viewing is audited, as on the child page)."""
        token = current_token()
        return integration.child(_db(), child_id, token.username, token.team_ids)

    @token_required("children:write")
    @idempotent
    @blp.arguments(S.ChildUpdate)
    @blp.response(200, S.Child)
    @blp.problems(401, 403, 404)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def patch(self, changes, child_id):
        """Change the name or the allocated social worker (their open tasks follow them).
        Dates and legal status drive the statutory clocks and are not changed here."""
        token = current_token()
        return integration.update_child(_db(), child_id, changes, token.username, token.team_ids)


@blp.route("/<int(max=2147483647):child_id>/position")
class ChildPosition(MethodView):
    @token_required("children:read")
    @blp.response(200, S.Position)
    @blp.problems(401, 403, 404)
    def get(self, child_id):
        """Where the child's pathway stands: stage, route, open tasks, deadlines."""
        token = current_token()
        integration.check_child(_db(), child_id, token.username, token.team_ids)
        p = engine.position(_db(), child_id, token.username)
        return {"child_id": child_id, "instance_id": p.instance_id, "process": p.process,
                "version": p.version, "status": p.status, "stage": p.stage, "route": p.route,
                "error": p.error, "open_tasks": p.open_tasks, "deadlines": p.deadlines,
                "current_elements": p.current_elements}


@blp.route("/<int(max=2147483647):child_id>/deadlines")
class ChildDeadlines(MethodView):
    @token_required("children:read")
    @blp.response(200, S.Deadlines)
    @blp.problems(401, 403, 404)
    def get(self, child_id):
        """The statutory clocks: running, overdue, met, late or missed, with their rule ids."""
        token = current_token()
        integration.check_child(_db(), child_id, token.username, token.team_ids)
        return {"items": engine.position(_db(), child_id, token.username).deadlines}
