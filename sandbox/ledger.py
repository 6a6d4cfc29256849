"""What happens to orders, payments and refunds: shared by the API, the hosted page and the dashboard."""
import secrets

from sqlalchemy import func, select

from . import promotions
from .errors import ApiError
from .extensions import db
from .ids import new_id, now_ms
from .locking import lock_account, locked
from .models import CheckoutSession, Order, Payment, Refund
from .serialize import order_json, payment_json, refund_json
from .webhooks import emit

CAPTURE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000
PRODUCT_KEYS = ("name", "brand", "categories", "gtin", "images", "reference", "url")

# Every change here takes its account's lock first (sandbox/locking.py) and reads its rows again under it, so
# two clicks on "Confirm payment" or two refunds sent at once, to any of the sandbox's processes, cannot both
# see the same remainder. Nothing here commits: the API's write wrapper, the hosted page or the deliverer
# commits the change together with its events (and the answer kept for its Idempotency-Key).


def create_checkout_session(account: str, body: dict) -> CheckoutSession:
    order = Order(id=new_id("order"), account=account, amount=body["amount"], currency="JPY",
                  capture_method=body["captureMethod"], reference=body.get("reference"),
                  description=body.get("description"), line_items=[line_item(item) for item in body["items"]],
                  shipping_info=body["shippingInfo"], customer_info=body["customerInfo"],
                  metadata_=body.get("metadata") or {}, session_id="")
    checkout = CheckoutSession(
        id=new_id("checkout"), account=account, order_id=order.id, token=secrets.token_urlsafe(24),
        success_url=body["successUrl"], cancel_url=body["cancelUrl"], reference=body.get("reference"),
        locale=body.get("locale"), customer_info=body["customerInfo"], csrf_secret=secrets.token_hex(32),
        metadata_=body.get("metadata") or {})
    order.session_id = checkout.id
    db.session.add_all([order, checkout])
    db.session.flush()
    return checkout


def line_item(item: dict) -> dict:
    """The expanded lineItem → price → product shape of contract §3.3, built once at creation."""
    product = {"id": new_id("product"), "object": "product", "active": True,
               "description": item.get("productDescription"), "metadata": item.get("productMetadata") or {},
               **{key: item.get(key) for key in PRODUCT_KEYS}}
    price = {"id": new_id("price"), "object": "price", "active": True, "amount": item["amount"],
             "currency": "JPY", "label": item.get("label"), "description": item.get("priceDescription"),
             "metadata": item.get("priceMetadata") or {}, "product": product}
    line = {"id": new_id("li"), "object": "lineItem", "kind": item["kind"], "quantity": item["quantity"],
            "description": item.get("description"), "metadata": item.get("metadata") or {}, "price": price}
    if item["kind"] != "product":
        line.update(amount=item["amount"], currency="JPY")
    return line


# --- the shopper's answer on the hosted page -------------------------------------------------------

@locked
def approve(order: Order, promotion_code: str = "", customer: str = "") -> bool:
    """Authorize the order; False when it was no longer waiting (already paid, declined or expired). A
    promotion code is redeemed first, in the same transaction (its refusal is an ApiError: nothing changes)."""
    if order.status != "requires_authorization":
        return False
    if promotion_code:
        promotions.redeem(order, promotion_code, customer)
    order.status = "requires_capture"
    order.expires_at = now_ms() + CAPTURE_WINDOW_MS
    emit(order.account, "order.authorized", order.id, order_json(order, expand=False))
    if order.capture_method == "automatic":
        capture(order, order.amount, "automatic")
    return True


@locked
def reject(order: Order) -> bool:
    if order.status != "requires_authorization":
        return False
    order.status = "rejected"
    emit(order.account, "order.rejected", order.id, order_json(order, expand=False))
    return True


# --- order management --------------------------------------------------------------------------

def captured_total(order: Order) -> int:
    # int(): PostgreSQL sums BIGINTs as NUMERIC, which would reach the JSON of an event as a Decimal
    return int(db.session.scalar(select(func.coalesce(func.sum(Payment.amount), 0))
                                 .where(Payment.order_id == order.id)))


def expire_if_due(order: Order) -> None:
    """An authorization not captured within 7 days lapses (checked lazily on every read, locked only then)."""
    if lapsed(order):
        lock_account(order.account)
        db.session.refresh(order)
        if lapsed(order):
            order.status = "succeeded" if captured_total(order) else "canceled"
            if order.status == "canceled":
                emit(order.account, "order.canceled", order.id, order_json(order, expand=False))


def lapsed(order: Order) -> bool:
    return order.status == "requires_capture" and bool(order.expires_at) and order.expires_at < now_ms()


@locked
def capture(order: Order, amount: int, cancel_remainder: str, reference=None, description=None,
            metadata=None) -> Payment:
    expire_if_due(order)
    if order.status != "requires_capture":
        raise ApiError(409, "order.cannot-capture",
                       f"The order cannot be captured: its status is {order.status} "
                       "(already captured, cancelled, rejected, expired or not yet authorized)")
    remaining = order.amount - captured_total(order)
    if amount > remaining:
        raise ApiError(409, "payment.excessive-amount",
                       f"The amount {amount} is more than the {remaining} that can still be captured", ["amount"])
    payment = Payment(id=new_id("payment"), account=order.account, order_id=order.id, amount=amount,
                      reference=reference if reference is not None else order.reference,
                      description=description, metadata_=metadata or {})
    db.session.add(payment)
    if cancel_remainder == "automatic" or amount == remaining:
        order.status = "succeeded"
    db.session.flush()
    emit(order.account, "payment.created", order.id, payment_json(payment))
    return payment


@locked
def cancel(order: Order) -> Order:
    expire_if_due(order)
    if order.status == "canceled":
        return order
    if order.status != "requires_capture":
        raise ApiError(409, "order.cannot-cancel",
                       f"Only orders in requires_capture or canceled status can be cancelled; this one is {order.status}")
    order.status = "succeeded" if captured_total(order) else "canceled"
    if order.status == "canceled":
        emit(order.account, "order.canceled", order.id, order_json(order, expand=False))
    return order


def expire_lapsed_authorizations() -> int:
    """The worker's sweep, so a lapsed authorization is cancelled (and announced) even if nobody reads it."""
    due = db.session.scalars(select(Order).where(Order.status == "requires_capture",
                                                 Order.expires_at < now_ms()).limit(50)).all()
    for order in due:
        expire_if_due(order)
        db.session.commit()
    return len(due)


def refunded_total(payment: Payment) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(Refund.amount), 0))
                                 .where(Refund.payment_id == payment.id, Refund.status == "succeeded")))


@locked
def refund(payment: Payment, amount: int | None, reason: str, reference=None, description=None,
           metadata=None) -> Refund:
    remaining = payment.amount - refunded_total(payment)
    amount = remaining if amount is None else amount
    if amount < 1 or amount > remaining:
        raise ApiError(403, "amount.insufficient",
                       f"Cannot refund {amount}: only {remaining} of this payment is left to refund", ["amount"])
    created = Refund(id=new_id("refund"), account=payment.account, payment_id=payment.id, amount=amount,
                     reason=reason, reference=reference, description=description, metadata_=metadata or {})
    db.session.add(created)
    if amount == remaining:
        payment.status = "refunded"
    db.session.flush()
    emit(payment.account, "refund.created", payment.order_id, refund_json(created))
    return created
