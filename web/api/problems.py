"""Every error under /api/v1 as one RFC 9457 problem document (`application/problem+json`):
`type`, `title`, `status`, `detail`, and field errors under `errors` ({field: [messages]}).

The engine's refusals map as the pages map them (not found 404, also for what the token may
not see; not allowed 403; a stopped pathway or a task no longer open 409; a form's errors
422); so do Flask's own (401, 405, ...) and marshmallow's validation errors."""
import json

from flask import Response, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

import engine

PREFIX = "/api/v1"
CONTENT_TYPE = "application/problem+json"
TYPES = "https://permanence.invalid/problems/"   # problem types, documented in the README

_TITLES = {
    400: "Bad request", 401: "Authentication needed", 403: "Not allowed", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 413: "Request too large",
    415: "Unsupported media type", 422: "The request has errors",
    500: "Internal error",
}


class ProblemSchema(Schema):
    """RFC 9457 problem details, with field errors under `errors`."""
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"description": "field -> list of messages (nested for rows)"})


def problem(status: int, detail: str | None = None, *, kind: str | None = None,
            errors: dict | None = None, headers: dict | None = None) -> Response:
    body = {"type": TYPES + (kind or str(status)), "title": _TITLES.get(status, "Error"),
            "status": status, "instance": request.path}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def from_engine(exc: engine.EngineError) -> Response:
    if isinstance(exc, engine.NotFound):
        return problem(404, str(exc), kind="not-found")
    if isinstance(exc, engine.NotAllowed):
        return problem(403, str(exc), kind="not-allowed")
    if isinstance(exc, engine.FormInvalid):
        return problem(422, str(exc), kind="invalid", errors=_strings(exc.errors))
    if isinstance(exc, engine.TaskNotOpen):
        return problem(409, str(exc), kind="task-not-open")
    if isinstance(exc, (engine.InstanceInError, engine.Conflict)):
        return problem(409, str(exc), kind="conflict")
    return problem(400, str(exc))


def from_http(exc: HTTPException) -> Response:
    """Flask's errors and webargs' validation errors (kept in `exc.data["messages"]`)."""
    data = getattr(exc, "data", None) or {}
    errors = data.get("messages") or data.get("errors")
    if isinstance(errors, dict) and set(errors) <= {"json", "query", "headers", "path", "form"}:
        flat = {}
        for location, messages in errors.items():   # webargs keys errors by location
            flat.update(messages if isinstance(messages, dict) else {location: messages})
        errors = flat
    detail = data.get("message") or (
        "Some of what was sent is wrong: see `errors`, by field" if errors else exc.description)
    headers = dict(data.get("headers") or {})
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    return problem(exc.code or 500, detail, errors=_strings(errors) if errors else None,
                   headers=headers)


def _strings(errors) -> dict:
    """Errors as JSON: keys as strings (row numbers too), messages as lists."""
    if isinstance(errors, dict):
        return {str(k): _strings(v) if isinstance(v, dict) else
                (v if isinstance(v, list) else [str(v)]) for k, v in errors.items()}
    return {"_request": errors if isinstance(errors, list) else [str(errors)]}
