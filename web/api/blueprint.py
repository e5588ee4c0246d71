"""The API's blueprint class: flask-smorest's, with problem documents for its errors and a
shorthand to document them."""
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

import engine

from .problems import CONTENT_TYPE, ProblemSchema, from_engine, from_http


class ApiBlueprint(Blueprint):
    IDEMPOTENCY_KEY = {
        "in": "header", "name": "Idempotency-Key", "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255},
        "description": "Retry-safe writes: the same key and request get the first answer again"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_error_handler(engine.EngineError, from_engine)
        self.register_error_handler(HTTPException, from_http)

    def problems(self, *statuses: int):
        """Document these error statuses as problem documents (and 400, which any request
        can earn: a NUL character, a bad Idempotency-Key)."""
        def decorate(view):
            for status in sorted({400, *statuses}):
                view = self.alt_response(status, schema=ProblemSchema,
                                         content_type=CONTENT_TYPE,
                                         description="A problem document (RFC 9457)")(view)
            return view
        return decorate
