"""Smartpay's side of an order: start the hosted checkout, read Smartpay's view of the order and apply it, and the
admin's capture and cancel of an authorized order (manual capture).

    pending            → awaiting_payment | failed
    awaiting_payment   → paid | rejected | cancelled | failed
    paid               → partially_refunded | refunded | cancelled (manual capture, released uncaptured)
    partially_refunded → refunded

Return pages, webhooks, the worker's sync and the admin all call `refresh_order`, which re-reads the order
from Smartpay's API and hands it to `apply_smartpay_order`. Every move goes through `orders.move`, a
compare-and-set in the database, so when a return page and a webhook race each other in two processes, exactly
one of them wins and fulfils; the other sees that the order already moved and does nothing.

Nothing here commits: the view, the command or the job that called it does (docs/architecture.md lists them).
"""
import logging

from .. import orders
from ..mail.outbox import queue_cancellation
from ..models import Order, utcnow
from ..statuses import OrderStatus as S, Source
from . import refunds
from .client import SmartpayError
from .gateway import smartpay
from .payload import checkout_session_payload, expected_total, hosted_page_url
from .statuses import SMARTPAY, SmartpayOrderStatus as Remote

log = logging.getLogger(__name__)

TRANSITIONS = {
    S.PENDING: {S.AWAITING_PAYMENT, S.FAILED},
    S.AWAITING_PAYMENT: {S.PAID, S.REJECTED, S.CANCELLED, S.FAILED},
    S.FAILED: set(),
    S.REJECTED: set(),
    S.CANCELLED: set(),
    S.PAID: {S.PARTIALLY_REFUNDED, S.REFUNDED, S.CANCELLED},
    S.PARTIALLY_REFUNDED: {S.REFUNDED},
    S.REFUNDED: set(),
}
orders.allow(SMARTPAY, TRANSITIONS)
FINAL = {status for status, targets in TRANSITIONS.items() if not targets}
# Smartpay's statuses that mean the shopper's purchase was approved (captured now or later).
APPROVED = {Remote.SUCCEEDED, Remote.REQUIRES_CAPTURE}
MISMATCH = "mismatch"


def start_payment(order: Order) -> str:
    """Ask Smartpay for a hosted checkout for a committed order, record its ids, and return the page's URL.

    The same order always sends the same body and Idempotency-Key, so a retry (ours, or the shopper's second
    click) gets the same session back instead of a second one."""
    if order.smartpay_checkout_url:  # the same submission again: back to the same hosted page
        return order.smartpay_checkout_url
    payload = checkout_session_payload(order)
    if expected_total(payload) != order.total:
        raise SmartpayError(None, "storefront.amount-mismatch", "the order total does not add up")
    checkout_session = smartpay().create_checkout_session(
        payload, idempotency_key=f"checkout-session-{order.public_id}")
    order.smartpay_session_id = checkout_session["id"]
    order.smartpay_order_id = checkout_session["order"]["id"]
    # The shopper's promotion code goes to the hosted page, which applies it (as Smartpay's SDKs pass one).
    order.smartpay_checkout_url = hosted_page_url(checkout_session["url"], order.promotion_code)
    orders.move(order, S.AWAITING_PAYMENT, Source.CHECKOUT)
    return order.smartpay_checkout_url


def payment_did_not_start(order: Order, error: SmartpayError) -> None:
    reason = f"{error.status_code or 'no answer'} {error.error_code}: {error.message}"
    orders.mark_failed(order, reason, Source.CHECKOUT)


# --- Smartpay's view of the order ---------------------------------------------------------------

def refresh_order(order: Order, source: str) -> str:
    """Re-read the order from Smartpay and move ours to match: the one path for return pages, webhooks, sync.

    Every read from Smartpay comes first, so no write lock is held while Smartpay is being waited for."""
    remote = smartpay().get_order(order.smartpay_order_id, expand=True)
    made_elsewhere = refunds.fetch_refunds_made_elsewhere(order, remote)
    order.smartpay_checked_at = utcnow()
    outcome = apply_smartpay_order(order, remote, source)
    if outcome != MISMATCH:
        for refund in made_elsewhere:
            refunds.record_remote_refund(order, refund, source)
    return outcome


def mismatch(order: Order, remote: dict) -> str:
    """Why Smartpay's order is not the one we asked for, or "" when it is: never fulfil on trust.

    A promotion code lowers Smartpay's amount; what it charges plus the discounts it lists must still be our
    total, to the yen."""
    charged, discount = remote.get("amount"), smartpay_discount(remote) or 0
    expected = {"id": order.smartpay_order_id, "amount": order.total, "currency": order.currency,
                "reference": order.number}
    found = {"id": remote.get("id"), "amount": charged + discount if isinstance(charged, int) else charged,
             "currency": str(remote.get("currency", "")).upper(), "reference": remote.get("reference")}
    wrong = [f"{key}: expected {expected[key]!r}, Smartpay says {found[key]!r}"
             for key in expected if expected[key] != found[key]]
    return "; ".join(wrong)


def smartpay_discount(remote: dict) -> int | None:
    """The discount Smartpay took off: its discountAmount, when that is the sum of its discounts (None when
    they disagree or make no sense, so the amount alone must then match our total)."""
    stated = remote.get("discountAmount") or 0
    listed = [d.get("amount") for d in remote.get("discounts") or [] if isinstance(d, dict)]
    if not isinstance(stated, int) or stated < 0 or any(not isinstance(a, int) for a in listed):
        return None
    return stated if sum(listed) == stated else None


def apply_smartpay_order(order: Order, remote: dict, source: str) -> str:
    """Bring the local order in line with Smartpay's view of it (an order object, ideally expand=all).

    Returns MISMATCH when Smartpay's order does not match ours (nothing is changed), else the local status.
    """
    problem = mismatch(order, remote)
    if problem:
        log.warning("order %s does not match Smartpay's %s (%s): %s", order.number, remote.get("id"), source, problem)
        return MISMATCH
    order.discount_amount = smartpay_discount(remote) or 0
    status = remote.get("status")
    if status in APPROVED and orders.move(order, S.PAID, source):
        orders.fulfil(order)
    elif status == Remote.REJECTED:
        orders.move(order, S.REJECTED, source, note="smartpay_declined")
    elif status == Remote.CANCELED:
        was_authorized = order.status == S.PAID  # manual capture: the shopper was told it was confirmed
        if orders.move(order, S.CANCELLED, source) and was_authorized:
            queue_cancellation(order)
    elif status == Remote.FAILED:
        orders.mark_failed(order, "smartpay_failed", source)
    update_captured_amount(order, remote)
    return order.status


def update_captured_amount(order: Order, remote: dict) -> None:
    payments = remote.get("payments") or []
    if payments and all(isinstance(payment, dict) for payment in payments):
        order.captured_amount = sum(int(payment.get("amount", 0)) for payment in payments)


# --- the admin's actions on an authorized order (manual capture) --------------------------------

def capture(order: Order, amount: int, cancel_rest: bool, token: str, source: str) -> None:
    """Take all or part of an authorized order; `cancel_rest` lets the remainder go."""
    smartpay().capture(order.smartpay_order_id, amount, idempotency_key=f"capture-{token}",
                       cancel_remainder="automatic" if cancel_rest else "manual")
    refresh_order(order, source)


def cancel_authorization(order: Order, source: str) -> None:
    """Let go of whatever is still authorized (all of it when nothing was captured)."""
    smartpay().cancel_order(order.smartpay_order_id, idempotency_key=f"cancel-{order.public_id}")
    refresh_order(order, source)
