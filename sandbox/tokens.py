"""Token mode (contract §7): the shopper consents once, the merchant charges later without a page.

    POST /checkout-sessions {mode: "token", …}   a session and a token awaiting the shopper's consent
    the hosted page                               consent: approved (active) or declined (rejected)
    POST /orders {token, amount, items, …}        an order created and underwritten at once, on the token
    /tokens …                                     read, list, disable, enable, delete

The test card given at consent decides what later charges do (PLANS), so a merchant can rehearse a declined
charge on the third month without waiting three months.
"""
import secrets

from sqlalchemy import select

from . import ledger
from .errors import ApiError, not_found
from .extensions import db
from .ids import new_id
from .locking import lock_account, locked
from .models import CheckoutSession, Order, PaymentToken, TokenOrder
from .serialize import token_json
from .webhooks import emit

# Consent cards: what each makes of the charges that follow (approve_all, decline_all, or from the third on).
PLANS = {"4242424242424242": "approve_all", "4000000000009995": "decline_all",
         "4000000000003220": "decline_from_third"}
DECLINE_CONSENT = "4100000000000019"


def create_token_session(account: str, body: dict) -> CheckoutSession:
    checkout = CheckoutSession(
        id=new_id("checkout"), account=account, order_id="", token=secrets.token_urlsafe(24),
        success_url=body["successUrl"], cancel_url=body["cancelUrl"], reference=body.get("reference"),
        locale=body.get("locale"), customer_info=body["customerInfo"], csrf_secret=secrets.token_hex(32),
        metadata_=body.get("metadata") or {})
    token = PaymentToken(id=new_id("paytok"), account=account, session_id=checkout.id,
                         reference=body.get("reference"), description=body.get("description"),
                         customer_info=body["customerInfo"], metadata_=body.get("metadata") or {})
    db.session.add_all([checkout, token])
    emit(account, "token.created", None, token_json(token))
    return checkout


def token_of_session(checkout: CheckoutSession) -> PaymentToken | None:
    return db.session.scalar(select(PaymentToken).where(PaymentToken.session_id == checkout.id))


@locked
def consent(token: PaymentToken, card: str) -> bool:
    """The shopper's answer on the consent page (or the test-mode shortcut, with the approving card)."""
    if token.status != "requires_authorization":
        return False
    if card == DECLINE_CONSENT:
        token.status = "rejected"
    else:
        token.status, token.plan = "active", PLANS[card]
    emit(token.account, "token.approved" if token.status == "active" else "token.rejected", None, token_json(token))
    return True


@locked
def set_status(token: PaymentToken, wanted: str) -> PaymentToken:
    """disable (active → disabled), enable (disabled → active), delete (anything but deleted → deleted)."""
    allowed = {"disabled": {"active"}, "active": {"disabled"},
               "deleted": {"requires_authorization", "active", "disabled", "rejected"}}
    if token.status not in allowed[wanted]:
        raise ApiError(409, "token.invalid-status", f"A token that is {token.status} cannot become {wanted}")
    token.status = wanted
    event = {"disabled": "token.disabled", "active": "token.enabled", "deleted": "token.deleted"}[wanted]
    emit(token.account, event, None, token_json(token))
    return token


def usable(account: str, token_id: str) -> PaymentToken:
    token = db.session.get(PaymentToken, token_id, populate_existing=True)
    if token is None or token.account != account or token.status == "deleted":
        raise not_found("token", token_id)
    if token.status != "active":
        raise ApiError(409, "token.invalid-status",
                       f"The token is {token.status}: only an active token can be charged", ["token"])
    return token


def charge(account: str, body: dict) -> Order:
    """POST /orders {token}: the order is created and decided at once, as the consent's card planned (under the
    account's lock, so the token's count of charges and its status are read as committed)."""
    lock_account(account)
    token = usable(account, body["token"])
    order = Order(id=new_id("order"), account=account, amount=body["amount"], currency="JPY",
                  capture_method=body["captureMethod"], reference=body.get("reference"),
                  description=body.get("description"), line_items=[ledger.line_item(i) for i in body["items"]],
                  shipping_info=body["shippingInfo"], customer_info=body.get("customerInfo") or token.customer_info,
                  metadata_=body.get("metadata") or {}, session_id="")
    token.charges += 1
    db.session.add_all([order, TokenOrder(order_id=order.id, token_id=token.id)])
    emit(account, "token.used", order.id, token_json(token))
    declined = token.plan == "decline_all" or (token.plan == "decline_from_third" and token.charges >= 3)
    if declined:
        ledger.reject(order)
    else:
        ledger.approve(order)
    return order
