"""Tasks: list them, show one with its form's JSON Schema and questions, and complete it
through `engine.complete_task(..., strict=True)`, which checks the lane, the child, the form
and refuses answers the form does not ask for, naming them."""
from flask import current_app
from flask.views import MethodView

import engine
from engine import integration

from .. import database
from .auth import current_token, token_required
from .blueprint import ApiBlueprint
from .children import _outcome
from .idempotency import idempotent
from . import schemas as S

blp = ApiBlueprint("Tasks", __name__, url_prefix="/api/v1/tasks",
                   description="The work of the pathway: user tasks and their forms")


def _db():
    return database(current_app)


@blp.route("")
class Tasks(MethodView):
    @token_required("tasks:read")
    @blp.arguments(S.TaskListArgs, location="query")
    @blp.response(200, S.TaskPage)
    @blp.problems(401, 403)
    def get(self, args):
        """Tasks of the children the token may see (open ones unless `status` says)."""
        token = current_token()
        status = None if args["status"] == "all" else args["status"]
        items, after = integration.tasks_page(_db(), token.username, token.team_ids,
                                              args["after"], args["limit"], status,
                                              args.get("child_id"))
        return {"items": items, "next": after}


@blp.route("/<task_id>")
class OneTask(MethodView):
    @token_required("tasks:read")
    @blp.response(200, S.TaskDetail)
    @blp.problems(401, 403, 404)
    def get(self, task_id):
        """A task, why it is due when it is, and what its form asks."""
        token = current_token()
        item, form = integration.task(_db(), task_id, token.username, token.team_ids)
        item.update(form=form.name if form else None,
                    form_schema=form.schema_json if form else None,
                    questions=[_question(f) for f in form.fields] if form else [])
        return item


def _question(field) -> dict:
    return {"name": field.name, "label": field.label, "type": field.kind,
            "required": field.required, "choices": [value for value, _ in field.options],
            "rows": [_question(f) for f in field.item_fields]}


@blp.route("/<task_id>/complete")
class CompleteTask(MethodView):
    @token_required("tasks:write")
    @idempotent
    @blp.arguments(S.Completion)
    @blp.response(200, S.Outcome)
    @blp.problems(401, 403, 404, 409)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def post(self, body, task_id):
        """Complete the task with the answers in `data` (what `GET` shows the form asks)."""
        token = current_token()
        integration.check_task(_db(), task_id, token.username, token.team_ids)
        outcome = engine.complete_task(_db(), task_id, body["data"], token.username, strict=True)
        return _outcome(outcome)
