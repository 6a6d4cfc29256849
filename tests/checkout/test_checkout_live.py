"""The seed's checkout flow end to end: storefront and sandbox over real HTTP."""
import threading
from collections import Counter

import pytest
import requests
from flask import has_request_context, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storefront.extensions import db
from storefront.models import CartLine, Order, OrderEvent
from storefront.smartpay import payments
from storefront.smartpay.models import ApiCall, WebhookEndpoint, WebhookEvent
from storefront.smartpay.statuses import WebhookStatus
from tests.support.sandbox import cancel, pay
from tests.support.waiting import wait_until

pytestmark = pytest.mark.live


def wait_for_status(shop, status, seconds=10):
    wait_until(lambda: shop.order().status == status, seconds, what=f"the order {status}")


def cart_size(shop) -> int:
    with shop.app.app_context():
        return db.session.scalar(select(func.coalesce(func.sum(CartLine.quantity), 0)))


def test_approve_shows_a_receipt_matching_smartpay(live_shop):
    shopper, hosted = live_shop.start_purchase()
    answer = pay(hosted)
    receipt = shopper.get(answer.headers["Location"])
    order = live_shop.order()
    assert order.status == "paid" and order.total == 2 * 1080 + 990 + 500
    assert f">{order.number}<" in receipt.text and "Thank you for your order" in receipt.text
    assert "目黒1-2-3" in receipt.text and "¥3,650" in receipt.text
    remote = live_shop.api("GET", f"/orders/{order.smartpay_order_id}?expand=all").json()
    assert (remote["status"], remote["amount"], remote["reference"]) == ("succeeded", order.total, order.number)
    assert [(i["price"]["product"]["reference"], i["quantity"]) for i in remote["lineItems"]] == [("TEA-003", 2), ("TXT-002", 1)]
    assert remote["shippingInfo"]["feeAmount"] == 500
    assert cart_size(live_shop) == 0
    assert shopper.get(answer.headers["Location"]).status_code == 200  # reloading the receipt is harmless
    with live_shop.app.app_context():
        assert db.session.scalar(select(func.count(OrderEvent.id)).where(OrderEvent.to_status == "paid")) == 1


def test_every_call_to_smartpay_is_logged_without_the_secret_key(live_shop):
    shopper, hosted = live_shop.start_purchase()
    shopper.get(pay(hosted).headers["Location"])
    order = live_shop.order()
    with live_shop.app.app_context():
        calls = db.session.scalars(select(ApiCall).order_by(ApiCall.id)).all()
    create = next(call for call in calls if call.path == "/checkout-sessions")
    assert (create.method, create.status_code) == ("POST", 200)
    assert create.idempotency_key == f"checkout-session-{order.public_id}" and create.smartpay_order_id == order.smartpay_order_id
    assert any(call.path == f"/orders/{order.smartpay_order_id}" for call in calls)
    assert all(live_shop.key not in call.request_body + call.response_body + call.path for call in calls)


def test_hard_decline_offers_another_payment_method_with_the_cart_intact(live_shop):
    shopper, hosted = live_shop.start_purchase()
    answer = pay(hosted, card="4100 0000 0000 0019")
    page = shopper.get(answer.headers["Location"])
    assert "Smartpay could not approve this purchase" in page.text
    assert "Choose another payment method" in page.text
    assert live_shop.order().status == "rejected" and cart_size(live_shop) == 3


def test_soft_decline_then_approve(live_shop):
    shopper, hosted = live_shop.start_purchase()
    assert pay(hosted, card="4000 0000 0000 0002").status_code == 402
    assert shopper.get(pay(hosted).headers["Location"]).status_code == 200
    assert live_shop.order().status == "paid"


def test_cancel_returns_to_the_shop_with_the_cart_intact(live_shop):
    shopper, hosted = live_shop.start_purchase()
    page = shopper.get(cancel(hosted).headers["Location"])
    assert "You left the Smartpay checkout" in page.text and "Return to Smartpay to pay" in page.text
    assert live_shop.order().status == "awaiting_payment" and cart_size(live_shop) == 3


def test_the_webhook_alone_completes_an_order_whose_redirect_never_came(live_shop):
    _shopper, hosted = live_shop.start_purchase()
    pay(hosted)  # the shopper closes the tab instead of following the redirect
    wait_for_status(live_shop, "paid")
    assert cart_size(live_shop) == 0


def test_sync_completes_an_order_when_redirect_and_webhook_are_both_lost(live_shop):
    with live_shop.app.app_context():
        db.session.execute(db.delete(WebhookEndpoint))  # deliveries now fail the signature check
        db.session.commit()
    _shopper, hosted = live_shop.start_purchase()
    pay(hosted)
    refused = select(func.count(WebhookEvent.id)).where(WebhookEvent.status == WebhookStatus.REFUSED)
    live_shop.eventually(lambda: db.session.scalar(refused) >= 2)  # authorized and payment.created came, refused
    assert live_shop.order().status == "awaiting_payment"
    assert "1 changed" in live_shop.cli("smartpay", "sync")
    assert live_shop.order().status == "paid"


def test_a_double_submit_creates_one_order_and_one_session(live_shop):
    shopper = live_shop.shopper()
    shopper.add("kyoto-hojicha", 1)
    form = shopper.checkout_form()
    results = []
    threads = [threading.Thread(target=lambda: results.append(shopper.checkout(form))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.status_code for r in results} == {303}
    assert len({r.headers["Location"] for r in results}) == 1
    with live_shop.app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 1
    assert len(live_shop.api("GET", "/checkout-sessions").json()["data"]) == 1


def test_tampered_prices_in_the_form_are_ignored(live_shop):
    shopper = live_shop.shopper()
    shopper.add("seki-santoku-knife", 1)
    answer = shopper.checkout(**{"price": "1", "amount": "1", "total": "1", "items[0][amount]": "1", "quantity": "99"})
    assert answer.status_code == 303
    remote = live_shop.api("GET", f"/orders/{live_shop.order().smartpay_order_id}").json()
    assert remote["amount"] == 12100 and live_shop.order().total == 12100


def test_return_urls_with_made_up_or_someone_elses_id(live_shop):
    shopper, hosted = live_shop.start_purchase()
    success_url = pay(hosted).headers["Location"]
    assert requests.get(live_shop.url + "/checkout/complete/made-up-id").status_code == 404
    assert requests.get(live_shop.url + "/checkout/cancelled/made-up-id").status_code == 404
    stranger = requests.get(success_url)  # another browser with the same link
    assert stranger.status_code == 200 and live_shop.order().number in stranger.text
    assert "目黒1-2-3" not in stranger.text and "taro+test@example.com" not in stranger.text


def test_a_success_url_is_not_believed_before_smartpay_approves(live_shop):
    shopper, hosted = live_shop.start_purchase()
    order = live_shop.order()
    page = shopper.get(f"{live_shop.url}/checkout/complete/{order.public_id}")
    assert "We are confirming your payment" in page.text
    assert live_shop.order().status == "awaiting_payment"
    status = shopper.get(f"{live_shop.url}/checkout/status/{order.public_id}").json()
    assert status == {"status": "awaiting_payment", "done": False}


def test_a_mismatching_smartpay_order_is_refused(live_shop):
    shopper, hosted = live_shop.start_purchase()
    pay(hosted)
    with live_shop.app.app_context():
        order = db.session.scalar(select(Order))
        order.total = 1  # as if someone had altered the order after the session was made
        db.session.commit()
    page = shopper.get(f"{live_shop.url}/checkout/complete/{live_shop.order().public_id}")
    assert page.status_code == 409 and "We could not confirm this order" in page.text
    assert live_shop.order().status == "awaiting_payment"


def test_a_return_page_and_a_webhook_racing_fulfil_once(live_shop):
    _shopper, hosted = live_shop.start_purchase()
    with live_shop.app.app_context():
        db.session.execute(db.delete(WebhookEndpoint))
        db.session.commit()
    pay(hosted)
    errors = []

    def apply():
        try:
            with live_shop.app.app_context():  # an entry point: one unit of work, committed by the caller
                payments.refresh_order(db.session.scalar(select(Order)), "race")
                db.session.commit()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=apply) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with live_shop.app.app_context():
        moves = db.session.scalars(select(OrderEvent.to_status).order_by(OrderEvent.id)).all()
    assert moves.count("paid") == 1


def test_a_refusal_by_smartpay_keeps_the_cart_and_says_so(live_shop):
    live_shop.app.config["SMARTPAY_SECRET_KEY"] = "sk_live_wrongkey"  # the sandbox answers 401
    shopper = live_shop.shopper()
    shopper.add("tenugui-waves", 1)
    answer = shopper.checkout()
    assert answer.status_code == 502
    assert "Smartpay could not start the payment for this order." in answer.text
    assert "Nothing was charged and your cart is unchanged." in answer.text
    assert live_shop.order().status == "failed" and live_shop.order().failure_reason.startswith("401 unauthorized")
    assert cart_size(live_shop) == 1


def test_a_purchase_commits_where_the_architecture_guide_says(live_shop, monkeypatch):
    """docs/architecture.md, "Units of work": each product into the cart, the order before Smartpay is asked,
    Smartpay's ids, the shopper's return (paid, cart emptied, email queued). A commit added or lost fails here.
    (Session.commit only: a savepoint's end is not one, and the API log writes on its own connection.)"""
    commits, commit = Counter(), Session.commit

    def counted(session):
        if has_request_context() and request.url_rule is not None:
            commits[f"{request.method} {request.url_rule.rule}"] += 1
        return commit(session)

    monkeypatch.setattr(Session, "commit", counted)
    shopper, hosted = live_shop.start_purchase()  # two products
    shopper.get(pay(hosted).headers["Location"])
    monkeypatch.undo()
    commits.pop("POST /webhooks/smartpay", None)  # the sandbox's webhooks arrive when they arrive
    assert commits == {"POST /cart/add": 2, "POST /checkout/": 2, "GET /checkout/complete/<public_id>": 1}
