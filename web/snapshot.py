"""One database snapshot per page read: every `db.reading()` a GET request makes (who is
asking, the child, its tasks, records, plan, timeline) shares one session, so a page checks
out one connection and runs one transaction instead of a dozen (models/database.py,
`one_snapshot`). Form posts are left as they are: they write, and read what they wrote."""
from flask import Flask, g, request

_KEY = "permanence_snapshot"


def init_app(app: Flask) -> None:
    from . import database

    @app.before_request
    def _open():
        if request.method in ("GET", "HEAD") and not request.path.startswith("/static/"):
            snapshot = database(app).one_snapshot()
            snapshot.__enter__()
            setattr(g, _KEY, snapshot)

    @app.teardown_request
    def _close(_exc):
        snapshot = g.pop(_KEY, None)
        if snapshot is not None:
            snapshot.__exit__(None, None, None)
