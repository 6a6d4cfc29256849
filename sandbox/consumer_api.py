"""Test-mode authorization without a browser (contract §7.1), as Smartpay's own SDK suites use it:

    POST /v1/consumers/auth/login          {"emailAddress", "password"}            → {"accessToken"}
    POST /v1/orders/{id}/authorizations    Bearer <accessToken>,
                                           {"paymentMethod", "paymentPlan"}       → the order, authorized
    PUT  /v1/tokens/{id}/approve           Bearer <accessToken>                   → the token, active

The sandbox has no real shoppers, so any email and password log in. The authorization does what confirming on
the hosted page does (webhooks and all): `pm_test_visaApproved` approves, `pm_test_visaDeclined` (the sandbox's
own) declines. A `promotionCode` may come along, and is refused in the API's error shape when it cannot apply.
These routes are the shopper's, not the merchant's: no secret key, and the order is found by its id alone.
"""
import hashlib
import secrets

from flask import Blueprint, request
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from . import ledger, tokens
from .errors import ApiError, not_found
from .extensions import db
from .http import api_error, json_body
from .ids import now_ms
from .models import Order, PaymentToken
from .serialize import order_json, token_json
from .validation import Checker

bp = Blueprint("consumers", __name__, url_prefix="/v1")
bp.register_error_handler(ApiError, api_error)
APPROVED, DECLINED = "pm_test_visaApproved", "pm_test_visaDeclined"
APPROVING_CARD = "4242424242424242"  # a token approved by the shortcut charges like one consented with 4242
PAYMENT_PLANS = {"pay_in_three"}


class ConsumerSession(db.Model):
    """A test consumer's login. Only the token's hash is kept, as a real service would keep it."""
    __tablename__ = "consumer_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[int] = mapped_column(default=now_ms)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@bp.post("/consumers/auth/login")
def login():
    check = Checker()
    body = check.obj(json_body(), "body") or {}  # the SDK suites send it without a Content-Type
    email = check.string(body, "emailAddress", "emailAddress", required=True, max_length=254)
    check.string(body, "password", "password", required=True)
    check.done()
    token = secrets.token_urlsafe(32)
    db.session.add(ConsumerSession(token_hash=digest(token), email=email.strip().lower()))
    db.session.commit()
    return {"accessToken": token, "tokenType": "Bearer"}


@bp.post("/orders/<order_id>/authorizations")
def authorize(order_id: str):
    consumer = signed_in_consumer()
    body = authorization_body(json_body())
    order = db.session.get(Order, order_id)
    if order is None:
        raise not_found("order", order_id)
    if order.status != "requires_authorization":
        raise ApiError(409, "order.cannot-authorize",
                       f"Only an order awaiting authorization can be authorized; this one is {order.status}")
    declined = body["paymentMethod"] == DECLINED
    decided = ledger.reject(order) if declined else ledger.approve(order, body.get("promotionCode") or "",
                                                                     consumer.email)
    db.session.commit()  # a decline is kept, though it is answered as a 402
    if not decided:  # another request decided it first
        raise ApiError(409, "order.cannot-authorize", "The order was authorized or declined meanwhile")
    if declined:
        raise ApiError(402, "payment.declined", f"The test payment method {DECLINED} declines every order")
    return order_json(db.session.get(Order, order_id), expand=False)


@bp.put("/tokens/<token_id>/approve")
def approve_token(token_id: str):
    """The test-mode shortcut of the SDK suites: the consumer approves a token without its consent page."""
    signed_in_consumer()
    token = db.session.get(PaymentToken, token_id)
    if token is None or token.status == "deleted":
        raise not_found("token", token_id)
    approved = tokens.consent(token, APPROVING_CARD)
    db.session.commit()
    if not approved:
        raise ApiError(409, "token.invalid-status", f"Only a token awaiting consent can be approved; this one is "
                                                    f"{token.status}")
    return token_json(db.session.get(PaymentToken, token_id))


def signed_in_consumer() -> ConsumerSession:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    found = db.session.get(ConsumerSession, digest(token.strip())) if scheme.lower() == "bearer" else None
    if found is None:
        error = ApiError(401, "unauthorized", "Send the accessToken from /consumers/auth/login as "
                                              "'Authorization: Bearer <accessToken>'")
        raise error
    return found


def authorization_body(body) -> dict:
    check = Checker()
    body = check.obj(body, "body") or {}
    check.string(body, "paymentMethod", "paymentMethod", required=True, choices={APPROVED, DECLINED})
    check.string(body, "paymentPlan", "paymentPlan", required=True, choices=PAYMENT_PLANS)
    check.string(body, "promotionCode", "promotionCode", max_length=60)
    check.done()
    return body
