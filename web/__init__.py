"""The web application and the `permanence` command.

Importing `web` (which `permanence --help` does, for `web.cli`) loads nothing heavy: the app
factory lives in `web/factory.py` with Flask, SQLAlchemy and the engine, and is loaded when
`create_app` is first called or `csrf` first read.
"""


def create_app(settings=None, db=None):
    """The Flask application (see `web.factory.create_app`)."""
    from .factory import create_app as build
    return build(settings, db)


def database(app):
    """The application's `models.Database`."""
    return app.extensions["permanence.db"]


def __getattr__(name: str):
    if name in ("csrf", "MAX_REQUEST_BYTES"):
        from . import factory
        return getattr(factory, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
