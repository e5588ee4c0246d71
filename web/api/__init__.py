"""The JSON API for case-management systems, under /api/v1: flask-smorest over the same engine
functions and `engine.access` as the pages, authenticated by tokens (never by the session, so
CSRF does not apply), every error a problem document (RFC 9457). The OpenAPI 3.1 document is
served at /api/v1/openapi.json and browsable at /api/v1/docs (Swagger UI from web/static,
installed from npm by scripts/install-assets.sh: nothing is loaded from a CDN)."""
import http

from flask import Flask, Response, current_app, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from .problems import CONTENT_TYPE, ProblemSchema, is_api_request, problem

VERSION = "1.0.0"


class PermanenceApi(Api):
    """flask-smorest's Api with problem documents for errors, and no app-wide error handler
    (pages keep their GOV.UK error pages; the API's blueprints and `_problem_for` answer)."""
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, CONTENT_TYPE if status >= 400 else "application/json")
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem document (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def _problem_for(response: Response) -> Response:
    """Any other error under /api/v1 (an unknown address, a wrong method, a crash) as a
    problem document too, never an HTML page."""
    if response.status_code < 400 or not is_api_request() or response.mimetype == CONTENT_TYPE:
        return response
    keep = {k: response.headers[k] for k in ("Allow", "WWW-Authenticate") if k in response.headers}
    if response.status_code == 405 and "Allow" not in keep:
        adapter = current_app.url_map.bind_to_environ(request.environ)
        keep["Allow"] = ", ".join(sorted(adapter.allowed_methods()))
    return problem(response.status_code, headers=keep)


def _refuse_nul():
    """A NUL character cannot be stored (PostgreSQL refuses it in text): name where it was
    sent rather than fail inside the database."""
    if not is_api_request():
        return None
    errors = {}
    if "\x00" in request.path:
        errors["path"] = ["The address contains a NUL character"]
    for name, value in request.args.items(multi=True):
        if "\x00" in name or "\x00" in value:
            errors[name.replace("\x00", "")] = ["Must not contain a NUL character"]
    if request.is_json:
        body = request.get_json(silent=True)
        for where in _nul_paths(body, ""):
            errors[where or "_body"] = ["Must not contain a NUL character"]
    return problem(400, "Text must not contain NUL characters", errors=errors) if errors else None


def _nul_paths(value, where: str):
    if isinstance(value, str):
        if "\x00" in value:
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if "\x00" in str(key):
                yield path
            yield from _nul_paths(item, path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _nul_paths(item, f"{where}.{i}" if where else str(i))


def init_app(app: Flask, csrf) -> Api:
    app.config.update(
        API_TITLE="Permanence Pathway API", API_VERSION=VERSION, OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs", OPENAPI_SWAGGER_UI_URL="/static/swagger-ui/",
        API_SPEC_OPTIONS={
            "info": {"description": "For case-management systems: children, tasks, positions, "
                                    "deadlines, records, case events, allocation, the tracker "
                                    "and the event feed. See the README's "
                                    "API section for tokens, scopes, paging and idempotency."},
            "security": [{"token": []}],
            "components": {"securitySchemes": {"token": {
                "type": "http", "scheme": "bearer",
                "description": "A token an administrator issued (/admin/tokens)"}}},
        })
    api = PermanenceApi(app)
    from . import casework, children, feed, tasks, webhooks
    for blueprint in (children.blp, casework.blp, tasks.blp, feed.blp, webhooks.blp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.before_request(_refuse_nul)
    app.after_request(_problem_for)
    return api
