"""The merchant API under /v1: the paths, bodies and answers of Smartpay's contract (§2, §10.1)."""
from flask import g

from . import ledger, tokens, validation
from .http import json_body
from .extensions import db
from .ids import new_id
from .resources import api_blueprint, collection, expanded, owned, write
from .models import CheckoutSession, Order, Payment, Refund, WebhookEndpoint
from .serialize import endpoint_json, order_json, payment_json, refund_json, session_json
from .signing import new_signing_secret

bp = api_blueprint("api")


# --- checkout sessions -------------------------------------------------------------------------

@bp.post("/checkout-sessions")
@write
def create_checkout_session():
    body = json_body()
    if isinstance(body, dict) and body.get("mode") == "token":  # consent for later charges (sandbox/tokens.py)
        return session_json(tokens.create_token_session(g.account, validation.token_session(body)), expand=True)
    checkout = ledger.create_checkout_session(g.account, validation.checkout_session(body))
    return session_json(checkout, expand=True)


@bp.get("/checkout-sessions/<session_id>")
def get_checkout_session(session_id):
    return session_json(owned(CheckoutSession, session_id, "checkout-session"), expanded())


@bp.get("/checkout-sessions")
def list_checkout_sessions():
    return collection(CheckoutSession, session_json)


# --- orders ------------------------------------------------------------------------------------

@bp.get("/orders/<order_id>")
def get_order(order_id):
    order = owned(Order, order_id, "order")
    ledger.expire_if_due(order)
    db.session.commit()
    return order_json(order, expanded())


@bp.get("/orders")
def list_orders():
    return collection(Order, order_json)


@bp.post("/orders")
@write
def create_token_order():
    """An order charged to a token (the shopper consented before), created and underwritten at once."""
    return order_json(tokens.charge(g.account, validation.token_order(json_body())), expand=True)


@bp.put("/orders/<order_id>/cancellation")
@write
def cancel_order(order_id):
    return order_json(ledger.cancel(owned(Order, order_id, "order")), expand=False)


# --- payments ----------------------------------------------------------------------------------

@bp.post("/payments")
@write
def create_payment():
    body = validation.payment(json_body())
    order = owned(Order, body["order"], "order")
    payment = ledger.capture(order, body["amount"], body["cancelRemainder"], body.get("reference"),
                             body.get("description"), body.get("metadata"))
    return payment_json(payment)


@bp.get("/payments/<payment_id>")
def get_payment(payment_id):
    return payment_json(owned(Payment, payment_id, "payment"), expanded())


@bp.patch("/payments/<payment_id>")
@write
def update_payment(payment_id):
    return payment_json(annotate(owned(Payment, payment_id, "payment")))


@bp.get("/payments")
def list_payments():
    return collection(Payment, payment_json)


# --- refunds -----------------------------------------------------------------------------------

@bp.post("/refunds")
@write
def create_refund():
    body = validation.refund(json_body())
    payment = owned(Payment, body["payment"], "payment")
    created = ledger.refund(payment, body.get("amount"), body["reason"], body.get("reference"),
                            body.get("description"), body.get("metadata"))
    return refund_json(created)


@bp.get("/refunds/<refund_id>")
def get_refund(refund_id):
    return refund_json(owned(Refund, refund_id, "refund"), expanded())


@bp.patch("/refunds/<refund_id>")
@write
def update_refund(refund_id):
    return refund_json(annotate(owned(Refund, refund_id, "refund")))


@bp.get("/refunds")
def list_refunds():
    return collection(Refund, refund_json)


def annotate(record):
    changes = validation.annotations(json_body())
    record.reference = changes.get("reference", record.reference)
    record.description = changes.get("description", record.description)
    record.metadata_ = changes.get("metadata", record.metadata_)
    return record


# --- webhook endpoints -------------------------------------------------------------------------

@bp.post("/webhook-endpoints")
@write
def create_webhook_endpoint():
    body = validation.webhook_endpoint(json_body(), creating=True)
    endpoint = WebhookEndpoint(id=new_id("webhookendpoint"), account=g.account, url=body["url"],
                               description=body.get("description"),
                               event_subscriptions=body.get("eventSubscriptions") or [],
                               active=body.get("active", True) is not False,
                               signing_secret=new_signing_secret(), metadata_=body.get("metadata") or {})
    db.session.add(endpoint)
    return endpoint_json(endpoint)


@bp.get("/webhook-endpoints/<endpoint_id>")
def get_webhook_endpoint(endpoint_id):
    return endpoint_json(owned(WebhookEndpoint, endpoint_id, "webhook-endpoint"))


@bp.patch("/webhook-endpoints/<endpoint_id>")
@write
def update_webhook_endpoint(endpoint_id):
    endpoint = owned(WebhookEndpoint, endpoint_id, "webhook-endpoint")
    body = validation.webhook_endpoint(json_body(), creating=False)
    for key, attribute in (("url", "url"), ("description", "description"), ("active", "active"),
                           ("eventSubscriptions", "event_subscriptions"), ("metadata", "metadata_")):
        if body.get(key) is not None:
            setattr(endpoint, attribute, body[key])
    return endpoint_json(endpoint)


@bp.delete("/webhook-endpoints/<endpoint_id>")
def delete_webhook_endpoint(endpoint_id):
    db.session.delete(owned(WebhookEndpoint, endpoint_id, "webhook-endpoint"))
    db.session.commit()
    return "", 204


@bp.get("/webhook-endpoints")
def list_webhook_endpoints():
    return collection(WebhookEndpoint, endpoint_json)
