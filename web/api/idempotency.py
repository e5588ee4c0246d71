"""`Idempotency-Key` on writes: a system that retries after a timeout gets the first answer
again instead of registering the child twice or completing the task twice.

The key is claimed in its own transaction before the write (a unique row per token and key),
so two concurrent requests with one key cannot both act: the second is told 409 while the
first is under way. The answer (success or a 4xx refusal) is stored with a hash of the
request; the same key with the same request replays it (`Idempotent-Replayed: true`), with
another request it is refused 422. A 5xx frees the key so the retry can act.
"""
import hashlib
import json
from functools import wraps

from flask import Response, current_app, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from werkzeug.exceptions import HTTPException

from engine import EngineError, clock
from models import IdempotentResponse

from .. import database
from .auth import current_token
from .problems import from_engine, from_http, problem

HEADER = "Idempotency-Key"
IN_PROGRESS = 0


def _request_hash() -> str:
    body = request.get_data() or b""
    try:
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        pass  # not JSON: hash the bytes as sent
    return hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n"
                          + body).hexdigest()


def idempotent(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not key.strip() or len(key) > 255:
            return problem(400, "Idempotency-Key must be 1 to 255 characters",
                           errors={HEADER: ["Send 1 to 255 characters, e.g. a UUID"]})
        db, token_id, digest = database(current_app), current_token().id, _request_hash()
        try:
            with db.transaction() as session:
                kept = session.scalar(select(IdempotentResponse).where(
                    IdempotentResponse.token_id == token_id, IdempotentResponse.key == key))
                if kept is None:
                    session.add(IdempotentResponse(token_id=token_id, key=key, request_hash=digest,
                                                   status=IN_PROGRESS, body="",
                                                   created_at=clock.now()))
        except IntegrityError:  # claimed by a concurrent request a moment ago
            kept = IdempotentResponse(request_hash=digest, status=IN_PROGRESS, body="")
        if kept is not None:
            return _replay(kept, digest)
        try:
            try:
                response = current_app.make_response(view(*args, **kwargs))
            except EngineError as exc:       # a refusal is an answer: kept for the key too
                response = from_engine(exc)
            except HTTPException as exc:
                response = from_http(exc)
        except BaseException:
            _forget(db, token_id, key)
            raise
        if response.status_code >= 500:
            _forget(db, token_id, key)
            return response
        with db.transaction() as session:
            row = session.scalar(select(IdempotentResponse).where(
                IdempotentResponse.token_id == token_id, IdempotentResponse.key == key))
            row.status, row.body = response.status_code, response.get_data(as_text=True)
        return response
    return wrapper


def _replay(kept: IdempotentResponse, digest: str) -> Response:
    if kept.request_hash != digest:
        return problem(422, "This Idempotency-Key was used with a different request",
                       kind="idempotency-key-reused",
                       errors={HEADER: ["Use a new key for a new request"]})
    if kept.status == IN_PROGRESS:
        return problem(409, "A request with this Idempotency-Key is still being processed",
                       kind="idempotency-key-in-use")
    content_type = "application/problem+json" if kept.status >= 400 else "application/json"
    response = Response(kept.body, status=kept.status, content_type=content_type)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _forget(db, token_id: int, key: str) -> None:
    with db.transaction() as session:
        session.execute(delete(IdempotentResponse).where(
            IdempotentResponse.token_id == token_id, IdempotentResponse.key == key))
