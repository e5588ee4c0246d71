"""A child's casework over the API: their records (what each completed task's form
collected, with every revision), their case events (and recording one, delivered to the
pathway by `engine.deliver_event`, which checks it against the case as it stands), their
placements, their case details (and a new version of their identity and needs, their family
network or their health assessments), and
reallocation (`engine.allocation.reallocate`). The engine applies
`engine.access` to the token's service user; `engine.integration_casework` narrows to the
token's teams first."""
from flask import current_app
from flask.views import MethodView

from engine import integration_casework as casework

from .. import database
from . import schemas as S
from . import schemas_casework as C
from .auth import current_token, token_required
from .blueprint import ApiBlueprint
from .idempotency import idempotent

blp = ApiBlueprint("Casework", __name__, url_prefix="/api/v1",
                   description="A child's records, case events, placements and allocation")

CHILD = "/children/<int(max=2147483647):child_id>"


def _db():
    return database(current_app)


@blp.route(f"{CHILD}/records")
class ChildRecords(MethodView):
    @token_required("records:read")
    @blp.arguments(C.RecordArgs, location="query")
    @blp.response(200, C.RecordPage)
    @blp.problems(401, 403, 404)
    def get(self, args, child_id):
        """The child's records, oldest first, each as its latest revision (reading is audited)."""
        token = current_token()
        items, after = casework.records_page(_db(), child_id, token.username, token.team_ids,
                                             args["after"], args["limit"], args.get("kind"))
        return {"items": items, "next": after}


@blp.route("/records/<int(max=2147483647):record_id>")
class OneRecord(MethodView):
    @token_required("records:read")
    @blp.response(200, C.RecordDetail)
    @blp.problems(401, 403, 404)
    def get(self, record_id):
        """A record with its form's JSON Schema and every revision (any revision's id reads it)."""
        token = current_token()
        view = casework.record(_db(), record_id, token.username, token.team_ids)
        return {**view.record, "form": view.form.name if view.form else None,
                "form_schema": view.form.schema_json if view.form else None,
                "revisions": view.revisions}


@blp.route(f"{CHILD}/case-events")
class ChildCaseEvents(MethodView):
    @token_required("children:read")
    @blp.arguments(S.PageArgs, location="query")
    @blp.response(200, C.CaseEventPage)
    @blp.problems(401, 403, 404)
    def get(self, args, child_id):
        """The child's case events, in the order they were recorded."""
        token = current_token()
        items, after = casework.case_events_page(_db(), child_id, token.username, token.team_ids,
                                                 args["after"], args["limit"])
        return {"items": items, "next": after}

    @token_required("children:write")
    @idempotent
    @blp.arguments(C.CaseEventCreate)
    @blp.response(201, C.Delivered)
    @blp.problems(401, 403, 404, 409)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def post(self, body, child_id):
        """Record a case event and deliver it to the child's pathway: refused per field if it
        makes no sense for the case as it stands (nothing is then written)."""
        token = current_token()
        done = casework.record_case_event(_db(), child_id, body["kind"], body["data"],
                                          token.username, token.team_ids)
        return {"event_id": done.event_id, "kind": done.kind, "caught_by": done.caught_by,
                "opened": done.opened, "closed": done.closed, "error": done.error}


@blp.route(f"{CHILD}/placements")
class ChildPlacements(MethodView):
    @token_required("children:read")
    @blp.response(200, C.Placements)
    @blp.problems(401, 403, 404)
    def get(self, child_id):
        """Where the child has lived, newest first (from placement case events)."""
        token = current_token()
        return {"items": casework.child_placements(_db(), child_id, token.username, token.team_ids)}


@blp.route(f"{CHILD}/case-details")
class ChildCaseDetails(MethodView):
    @token_required("children:read")
    @blp.response(200, C.CaseDetails)
    @blp.problems(401, 403, 404)
    def get(self, child_id):
        """Siblings and their together-or-apart assessment, family time, identity and needs,
        as the child page shows them (a sibling out of the token's sight has no detail)."""
        token = current_token()
        return casework.case_details(_db(), child_id, token.username, token.team_ids)


@blp.route(f"{CHILD}/identity")
class ChildIdentity(MethodView):
    @token_required("children:write")
    @idempotent
    @blp.arguments(C.IdentityChange)
    @blp.response(201, C.IdentitySaved)
    @blp.problems(401, 403, 404, 422)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def post(self, change, child_id):
        """A new version of the child's identity and needs (the earlier ones are kept): refused
        per field as the page refuses it, and a reason is needed after the first version."""
        token = current_token()
        version = casework.save_identity(_db(), child_id, change["data"], change["reason"],
                                         token.username, token.team_ids)
        return {"child_id": child_id, "version": version}


@blp.route(f"{CHILD}/family-network")
class ChildFamilyNetwork(MethodView):
    @token_required("children:write")
    @idempotent
    @blp.arguments(C.NetworkPersonChange)
    @blp.response(201, C.DetailSaved)
    @blp.problems(401, 403, 404, 422)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def post(self, change, child_id):
        """A9, E6: add a person to the child's family network, or (with `number` and a
        reason) change their entry: a new version, checked by field as the page checks it."""
        token = current_token()
        version = casework.save_network_person(_db(), child_id, change["data"], change["number"],
                                               change["reason"], token.username, token.team_ids)
        return {"child_id": child_id, "version": version}


@blp.route(f"{CHILD}/health-assessments")
class ChildHealthAssessments(MethodView):
    @token_required("children:write")
    @idempotent
    @blp.arguments(C.HealthAssessmentCreate)
    @blp.response(201, C.DetailSaved)
    @blp.problems(401, 403, 404, 422)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def post(self, body, child_id):
        """E25: record a statutory health assessment (initial or review): a new version of the
        child's list, checked by field as the page checks it."""
        token = current_token()
        version = casework.add_health_assessment(_db(), child_id, body["data"], token.username,
                                                 token.team_ids)
        return {"child_id": child_id, "version": version}


@blp.route(f"{CHILD}/allocation")
class ChildAllocation(MethodView):
    @token_required("children:write")
    @idempotent
    @blp.arguments(C.AllocationChange)
    @blp.response(200, C.Allocation)
    @blp.problems(401, 403, 404)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def post(self, change, child_id):
        """Reallocate the child to a social worker (and team) from a date, for a reason, as a
        team manager does on the allocation page; their open social-worker tasks follow."""
        token = current_token()
        done = casework.reallocate_child(_db(), child_id, change, token.username, token.team_ids)
        return {"child_id": done.child_id, "social_worker": done.worker, "team": done.team,
                "tasks_moved": done.tasks_moved}
