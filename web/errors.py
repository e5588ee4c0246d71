"""The engine's refusals as HTTP answers, in one place: not found 404 (also for what the user
may not know exists), not allowed 403, a stopped pathway 409, an expired form 400, and the
database out of reach 503 (`unavailable`)."""
from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

import engine

from . import unavailable

_TITLES = {
    400: "There is a problem with your request",
    403: "You cannot use this page",
    404: "Page not found",
    405: "There is a problem with your request",
    409: "This cannot be done at the moment",
    413: "What you sent is too large",
    500: "Sorry, there is a problem with the service",
}
_DEFAULTS = {
    403: "Your role does not give you access to this page. If you think it should, ask your manager.",
    404: "If you typed the web address, check it is correct. If you followed a link, the "
         "child or task may not be one you can see.",
    413: "The form or file you sent is larger than this page accepts. Shorten what you typed, "
         "or send a smaller file, and try again.",
    500: "Try again later. If you were sending a form, check when you try again whether it was saved.",
}


def error_page(status: int, message: str | None = None):
    title = _TITLES.get(status, "There is a problem")
    body = message or _DEFAULTS.get(status, "")
    return render_template("error.html", title=title, message=body, status=status), status


def init_app(app: Flask) -> None:
    unavailable.init_app(app)

    @app.errorhandler(engine.NotFound)
    def _not_found(exc):
        return error_page(404)

    @app.errorhandler(engine.NotAllowed)
    def _not_allowed(exc):
        return error_page(403, str(exc))

    @app.errorhandler(engine.InstanceInError)
    @app.errorhandler(engine.Conflict)
    def _stopped(exc):
        return error_page(409, str(exc))

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        from .drafts import keep_after_expiry
        kept = keep_after_expiry()   # a task form sent after the session expired
        if kept is not None:
            return kept
        return error_page(400, "This form has expired or did not come from this service. "
                               "Go back, reload the page and try again.")

    @app.errorhandler(500)
    def _broken(exc):
        return error_page(500)

    @app.errorhandler(HTTPException)
    def _http(exc):
        if exc.code in (403, 404, 405, 413):
            return error_page(exc.code)
        return exc
