"""Webhooks: the outbox delivered to other systems by the worker, never from a request.

Each subscription belongs to a token and sees exactly what that token's feed shows (its
service user's access, its teams). Events go one at a time, in id order, as the feed's JSON,
signed: `Permanence-Signature: sha256=<HMAC-SHA256 of the body with the subscription's
secret>`, with `Permanence-Event-Id` for de-duplication. Any 2xx moves the subscription on;
anything else (or no answer in 10 s) waits 30 s, 1, 2, 4 ... minutes, at most an hour, and
tries the same event again: at least once, in order, never skipped.
"""
import hashlib
import hmac
import json
import re
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select

from models import ApiToken, Database, WebhookSubscription

from . import clock, integration
from .audit import jsonable
from .errors import FormInvalid, NotFound

SIGNATURE, EVENT_ID, EVENT_KIND = "Permanence-Signature", "Permanence-Event-Id", "Permanence-Event-Kind"
TIMEOUT_SECONDS = 10
FIRST_WAIT, LONGEST_WAIT = timedelta(seconds=30), timedelta(hours=1)
URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


@dataclass(frozen=True)
class Subscription:
    id: int
    url: str
    kinds: list[str] | None
    delivered_through: int
    attempts: int
    last_error: str | None


def subscribe(db: Database, token_id: int, url: str, kinds: list[str] | None) -> tuple[Subscription, str]:
    """A new subscription and its secret (returned once), starting from now: earlier events
    are in the feed."""
    from .outbox import KINDS
    errors = {}
    if not URL.fullmatch(url or "") or len(url) > 500:
        errors["url"] = ["Enter the http:// or https:// address to deliver to"]
    if kinds is not None and (not kinds or set(kinds) - set(KINDS)):
        errors["kinds"] = [f"Choose kinds from: {', '.join(KINDS)}, or leave it out for all"]
    if errors:
        raise FormInvalid(errors, {"url": url, "kinds": kinds})
    secret = secrets.token_hex(32)
    with db.transaction() as session:
        from models import OutboxEvent
        from sqlalchemy import func
        latest = session.scalar(select(func.max(OutboxEvent.id))) or 0
        row = WebhookSubscription(token_id=token_id, url=url, secret=secret, kinds=kinds,
                                  delivered_through=latest, attempts=0, created_at=clock.now())
        session.add(row)
        session.flush()
        return _view(row), secret


def subscriptions(db: Database, token_id: int) -> list[Subscription]:
    with db.transaction() as session:
        return [_view(r) for r in session.scalars(
            select(WebhookSubscription).where(WebhookSubscription.token_id == token_id,
                                              WebhookSubscription.removed_at.is_(None))
            .order_by(WebhookSubscription.id))]


def unsubscribe(db: Database, token_id: int, subscription_id: int) -> None:
    with db.transaction() as session:
        row = session.get(WebhookSubscription, subscription_id)
        if row is None or row.token_id != token_id or row.removed_at is not None:
            raise NotFound(f"There is no webhook {subscription_id}")
        row.removed_at = clock.now()


def _view(row: WebhookSubscription) -> Subscription:
    return Subscription(row.id, row.url, row.kinds, row.delivered_through, row.attempts,
                        row.last_error)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(db: Database, batch: int = 50) -> int:
    """One round for every subscription that is due: deliver what is waiting, stop at the
    first failure (it is retried after its back-off). Returns the events delivered."""
    now = clock.now()
    with db.transaction() as session:
        due = session.execute(
            select(WebhookSubscription.id, ApiToken.id)
            .join(ApiToken, ApiToken.id == WebhookSubscription.token_id)
            .where(WebhookSubscription.removed_at.is_(None), ApiToken.revoked_at.is_(None),
                   or_(WebhookSubscription.next_attempt_at.is_(None),
                       WebhookSubscription.next_attempt_at <= now))
            .order_by(WebhookSubscription.id)).all()
    return sum(_deliver_one(db, sub_id, batch) for sub_id, _token in due)


def _deliver_one(db: Database, sub_id: int, batch: int) -> int:
    with db.transaction() as session:
        row = session.get(WebhookSubscription, sub_id)
        token = session.get(ApiToken, row.token_id)
        user = token.user
        if not user.active:
            return 0
        url, secret, kinds, after = row.url, row.secret, row.kinds, row.delivered_through
        username, team_ids = user.username, (None if token.teams is None else frozenset(token.teams))
    events, _next = integration.events_page(db, username, team_ids, after, batch)
    delivered = 0
    for event in events:
        if kinds is None or event["kind"] in kinds:
            error = _post(url, secret, event)
            if error:
                _failed(db, sub_id, error)
                return delivered
            delivered += 1
        _advance(db, sub_id, event["id"])
    return delivered


def _post(url: str, secret: str, event: dict) -> str | None:
    body = json.dumps(jsonable(event), sort_keys=True).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", SIGNATURE: sign(secret, body),
        EVENT_ID: str(event["id"]), EVENT_KIND: event["kind"],
        "User-Agent": "permanence-webhooks/1"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            if 200 <= response.status < 300:
                return None
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"[:500]


def _advance(db: Database, sub_id: int, event_id: int) -> None:
    with db.transaction() as session:
        row = session.get(WebhookSubscription, sub_id)
        row.delivered_through, row.attempts = event_id, 0
        row.next_attempt_at, row.last_error = None, None


def _failed(db: Database, sub_id: int, error: str) -> None:
    with db.transaction() as session:
        row = session.get(WebhookSubscription, sub_id)
        row.attempts += 1
        row.last_error = error
        row.next_attempt_at = clock.now() + backoff(row.attempts)


def backoff(attempts: int) -> timedelta:
    """30 s after the first failure, then 1, 2, 4 ... minutes, at most an hour."""
    return min(FIRST_WAIT * (2 ** (attempts - 1)), LONGEST_WAIT)


