"""Who is calling the API: a bearer token an administrator issued (engine/tokens.py), never a
session cookie, so no request can ride on a signed-in browser and CSRF does not arise.

`token_required("tasks:write")` lets a view run only for a live token holding that scope;
the view then acts as the token's service user, narrowed to its teams (`current_token()`).
"""
from functools import wraps

from flask import current_app, g, request

from engine import tokens

from .. import database
from .problems import problem


def current_token() -> tokens.TokenInfo:
    return g.api_token


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def token_required(scope: str):
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            raw = _bearer()
            token = tokens.authenticate(database(current_app), raw) if raw else None
            if token is None:
                return problem(401, "Send a live API token: Authorization: Bearer <token>"
                               if raw is None else "This token is not valid or has been revoked",
                               kind="unauthenticated",
                               headers={"WWW-Authenticate": 'Bearer realm="permanence"'})
            if scope not in token.scopes:
                return problem(403, f"This token does not have the scope {scope}",
                               kind="scope")
            g.api_token = token
            return view(*args, **kwargs)
        wrapper._api_scope = scope
        return wrapper
    return decorate
