"""Webhook subscriptions, per token: the worker POSTs each event of the token's feed to the
address, signed with the subscription's secret (shown once, at creation). See
engine/webhooks.py for signing, order, retries and back-off."""
from dataclasses import asdict

from flask import current_app
from flask.views import MethodView

from engine import webhooks

from .. import database
from .auth import current_token, token_required
from .blueprint import ApiBlueprint
from .idempotency import idempotent
from . import schemas as S

blp = ApiBlueprint("Webhooks", __name__, url_prefix="/api/v1/webhooks",
                   description="Events pushed to your system, signed, at least once")


@blp.route("")
class WebhookList(MethodView):
    @token_required("events:read")
    @blp.response(200, S.Webhooks)
    @blp.problems(401, 403)
    def get(self):
        """This token's webhooks, with how far delivery has got."""
        items = webhooks.subscriptions(database(current_app), current_token().id)
        return {"items": [asdict(s) for s in items]}

    @token_required("events:read")
    @idempotent
    @blp.arguments(S.WebhookCreate)
    @blp.response(201, S.NewWebhook)
    @blp.problems(401, 403)
    @blp.doc(parameters=[blp.IDEMPOTENCY_KEY])
    def post(self, body):
        """Subscribe an address to events from now on; the secret is in this answer only."""
        subscription, secret = webhooks.subscribe(database(current_app), current_token().id,
                                                  body["url"], body["kinds"])
        return {**asdict(subscription), "secret": secret}


@blp.route("/<int(max=2147483647):webhook_id>")
class OneWebhook(MethodView):
    @token_required("events:read")
    @blp.response(204)
    @blp.problems(401, 403, 404)
    def delete(self, webhook_id):
        """Stop delivering to this webhook."""
        webhooks.unsubscribe(database(current_app), current_token().id, webhook_id)
        return None
