"""Records to Smartpay's JSON shapes (contract §3). `expand` replaces ids with whole objects (§3.9)."""
from flask import current_app
from sqlalchemy import select

from .extensions import db
from .models import CheckoutSession, Order, Payment, PaymentToken, Refund, TokenOrder, WebhookEndpoint
from .promotions import discount_json, discounts_of


def common(record, kind: str) -> dict:
    return {"id": record.id, "object": kind, "test": True, "createdAt": record.created_at,
            "updatedAt": record.updated_at, "metadata": record.metadata_ or {}}


def hosted_url(checkout: CheckoutSession) -> str:
    return f"{current_app.config['PUBLIC_URL']}/checkout/{checkout.id}.{checkout.token}"


def session_json(checkout: CheckoutSession, expand: bool) -> dict:
    data = {**common(checkout, "checkoutSession"), "customerInfo": checkout.customer_info,
            "successUrl": checkout.success_url, "cancelUrl": checkout.cancel_url,
            "reference": checkout.reference, "locale": checkout.locale, "url": hosted_url(checkout)}
    if not checkout.order_id:  # token mode: the session asks for consent, and has a token instead of an order
        token = db.session.scalar(select(PaymentToken).where(PaymentToken.session_id == checkout.id))
        return {**data, "mode": "token", "token": token_json(token) if expand else token.id}
    order = db.session.get(Order, checkout.order_id)
    return {**data, "order": order_json(order, expand=True) if expand else checkout.order_id}


def token_json(token: PaymentToken, expand: bool = False) -> dict:
    return {**common(token, "token"), "status": token.status, "reference": token.reference,
            "description": token.description}


def order_json(order: Order, expand: bool) -> dict:
    payments, discounts = payments_of(order), discounts_of(order.id)
    data = {**common(order, "order"), "amount": order.amount, "currency": order.currency,
            "status": order.status, "reference": order.reference, "description": order.description,
            "captureMethod": order.capture_method, "customerInfo": order.customer_info,
            "shippingInfo": order.shipping_info, "discounts": [discount_json(d) for d in discounts],
            "discountAmount": sum(d.amount for d in discounts),
            "lineItems": order.line_items if expand else [item["id"] for item in order.line_items],
            "payments": [payment_json(p, expand=False) if expand else p.id for p in payments]}
    if order.expires_at is not None:
        data["expiresAt"] = order.expires_at
    charged_to = db.session.get(TokenOrder, order.id)
    if charged_to is not None:
        data["tokenId"] = charged_to.token_id
    return data


def payment_json(payment: Payment, expand: bool = False) -> dict:
    refunds = db.session.scalars(select(Refund.id).where(Refund.payment_id == payment.id)
                                 .order_by(Refund.created_at)).all()
    return {**common(payment, "payment"), "order": payment.order_id, "amount": payment.amount,
            "currency": payment.currency, "status": payment.status, "reference": payment.reference,
            "description": payment.description, "lineItems": [], "refunds": list(refunds)}


def refund_json(refund: Refund, expand: bool = False) -> dict:
    return {**common(refund, "refund"), "payment": refund.payment_id, "amount": refund.amount,
            "currency": refund.currency, "reason": refund.reason, "status": refund.status,
            "reference": refund.reference, "description": refund.description, "lineItems": []}


def endpoint_json(endpoint: WebhookEndpoint, expand: bool = False) -> dict:
    return {**common(endpoint, "webhookEndpoint"), "url": endpoint.url, "description": endpoint.description,
            "eventSubscriptions": endpoint.event_subscriptions, "active": endpoint.active,
            "signingSecret": endpoint.signing_secret}


def payments_of(order: Order) -> list[Payment]:
    return db.session.scalars(select(Payment).where(Payment.order_id == order.id)
                              .order_by(Payment.created_at, Payment.id)).all()
