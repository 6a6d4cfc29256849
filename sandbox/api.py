"""The merchant API under /v1: the paths, bodies and answers of Smartpay's contract (§2, §10.1)."""
from functools import wraps

from flask import Blueprint, g, jsonify, make_response, request
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from . import ledger, scenarios, validation
from .errors import ApiError, from_http, not_found
from .http import api_error, authenticate, json_body
from .extensions import db
from .ids import new_id
from .idempotency import one_at_a_time, remember, replay
from .models import CheckoutSession, Order, Payment, Refund, WebhookEndpoint
from .serialize import endpoint_json, order_json, payment_json, refund_json, session_json
from .signing import new_signing_secret

bp = Blueprint("api", __name__, url_prefix="/v1")
OUT_OF_SCOPE = ("coupons", "promotion-codes", "tokens")


bp.before_request(authenticate)


@bp.before_request
def act_out_scenarios():
    """A failure scenario set for this account may answer late or fail this call (sandbox/scenarios.py)."""
    scenarios.before_api_call(g.account)


bp.register_error_handler(ApiError, api_error)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return from_http(error).response()


def write(view):
    """Writes honour Idempotency-Key: a repeat gets the first answer back, with Idempotency-Replayed."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        with one_at_a_time(g.account):
            replayed = replay(g.account)
            if replayed is not None:
                return replayed
            try:
                response = jsonify(view(*args, **kwargs))
            except ApiError as error:
                db.session.rollback()
                response = make_response(error.response())
            remember(g.account, response)
            return response
    return wrapper


def expanded() -> bool:
    return request.args.get("expand", "no") == "all"


def owned(model, object_id: str, kind: str):
    found = db.session.get(model, object_id)
    if found is None or found.account != g.account:
        raise not_found(kind, object_id)
    return found


def collection(model, to_json):
    """Newest first; pageToken is the offset it starts at, opaque to clients."""
    try:
        max_results = int(request.args.get("maxResults", 20))
        start = int(request.args.get("pageToken") or 0)
    except ValueError:
        raise ApiError(400, "request.invalid", "maxResults and pageToken must be whole numbers",
                       ["maxResults", "pageToken"]) from None
    if not 1 <= max_results <= 100 or start < 0:
        raise ApiError(400, "request.invalid", "maxResults must be from 1 to 100", ["maxResults"])
    rows = db.session.scalars(select(model).where(model.account == g.account)
                              .order_by(model.created_at.desc(), model.id.desc())
                              .offset(start).limit(max_results + 1)).all()
    page = rows[:max_results]
    return {"object": "collection", "pageToken": request.args.get("pageToken"),
            "nextPageToken": str(start + max_results) if len(rows) > max_results else None,
            "maxResults": max_results, "results": len(page),
            "data": [to_json(row, expanded()) for row in page]}


# --- checkout sessions -------------------------------------------------------------------------

@bp.post("/checkout-sessions")
@write
def create_checkout_session():
    checkout = ledger.create_checkout_session(g.account, validation.checkout_session(json_body()))
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
    return order_json(order, expanded())


@bp.get("/orders")
def list_orders():
    return collection(Order, order_json)


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
    db.session.commit()
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
    db.session.commit()
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
    db.session.commit()
    return endpoint_json(endpoint)


@bp.delete("/webhook-endpoints/<endpoint_id>")
def delete_webhook_endpoint(endpoint_id):
    db.session.delete(owned(WebhookEndpoint, endpoint_id, "webhook-endpoint"))
    db.session.commit()
    return "", 204


@bp.get("/webhook-endpoints")
def list_webhook_endpoints():
    return collection(WebhookEndpoint, endpoint_json)


@bp.route("/<any(coupons, 'promotion-codes', tokens):resource>", methods=["GET", "POST"])
@bp.route("/<any(coupons, 'promotion-codes', tokens):resource>/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def out_of_scope(resource, rest=""):
    raise ApiError(404, f"{resource}.not-supported",
                   f"The offline sandbox does not implement /{resource}: coupons, promotion codes and tokens "
                   "are out of its scope")
