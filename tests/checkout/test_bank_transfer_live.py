"""Bank transfer beside Smartpay, over real HTTP: a shopper Smartpay declined pays the same cart by transfer, the
merchant records what arrived, and the worker cancels what never came. Emails go through the outbox to a real
SMTP server process."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.bank_transfer.models import TransferEntry
from storefront.bank_transfer.statuses import BANK_TRANSFER
from storefront.extensions import db
from storefront.models import CartLine, Order, utcnow
from storefront.smartpay.models import ApiCall
from storefront.smartpay.statuses import SMARTPAY
from storefront.statuses import OrderStatus
from storefront.worker import run_once
from tests.support.mail import parts
from tests.support.mailing import shop_settings, worker_jobs  # noqa: F401  (fixtures: emails sent)
from tests.support.sandbox import cancel, pay
from tests.support.storefront import CSRF, CUSTOMER
from tests.support.transfers import TOKEN, action, form_data, pay_by_transfer_instead, record

pytestmark = pytest.mark.live
DECLINED = "4100 0000 0000 0019"


def declined_purchase(shop):
    """Two products, Smartpay's hosted page, a card Smartpay declines: the shopper on the page that follows."""
    shopper, hosted = shop.start_purchase()
    page = shopper.get(pay(hosted, card=DECLINED).headers["Location"])
    assert "Smartpay could not approve this purchase" in page.text
    return shopper, page.text


def orders_of(shop) -> list[Order]:
    with shop.app.app_context():
        found = db.session.scalars(select(Order).order_by(Order.id)).all()
        db.session.expunge_all()
        return found


def cart_lines(shop) -> int:
    with shop.app.app_context():
        return db.session.scalar(select(func.count(CartLine.id)))


def sessions_created(shop) -> int:
    with shop.app.app_context():
        return db.session.scalar(select(func.count(ApiCall.id)).where(ApiCall.path == "/checkout-sessions"))


def test_declined_then_one_click_pays_the_same_cart_by_transfer(live_shop, mail_catcher):
    shopper, page = declined_purchase(live_shop)
    answer = pay_by_transfer_instead(shopper, page)
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/transfer/")
    again = pay_by_transfer_instead(shopper, page)  # a second click finds the order the first one made
    assert again.headers["Location"] == answer.headers["Location"]

    rejected, transfer = orders_of(live_shop)
    assert rejected.status == OrderStatus.REJECTED and rejected.payment_method == SMARTPAY
    assert transfer.payment_method == BANK_TRANSFER and transfer.status == OrderStatus.AWAITING_TRANSFER
    assert transfer.follows_order_id == rejected.id and transfer.number != rejected.number
    assert (transfer.family_name, transfer.address_line1, transfer.email) == ("Yamada", "目黒1-2-3", CUSTOMER["email"])
    assert transfer.total == rejected.total == 3650 and transfer.smartpay_order_id is None
    assert cart_lines(live_shop) == 0 and sessions_created(live_shop) == 1  # no second Smartpay session

    instructions = shopper.get(live_shop.url + answer.headers["Location"]).text
    for words in ("Please pay by bank transfer", transfer.number, "¥3,650", "デモ銀行", "見本支店", "0000000",
                  "Ordinary (普通)", "The transfer fee is yours to pay.", "We ship once your transfer arrives",
                  "the account below is made up"):
        assert words in instructions, words
    deadline = live_shop.app.config["BANK_TRANSFER_DAYS"]
    assert re.search(r"\w+day \d+ \w+ 20\d\d", instructions)  # the deadline as a day, with its weekday
    assert deadline == 7

    [message] = live_shop.eventually(lambda: mail_catcher.messages() or None)
    text, html = parts(message)
    assert message["To"] == CUSTOMER["email"] and transfer.number in message["Subject"]
    for body in (text, html):
        assert "¥3,650" in body and "デモ銀行" in body and "0000000" in body and "Transfer deadline:" in body
        assert "order_test_" not in body


def test_the_admin_records_a_short_transfer_flagged_then_the_rest_and_the_order_is_paid(live_shop, admin,
                                                                                       mail_catcher):
    shopper, page = declined_purchase(live_shop)
    pay_by_transfer_instead(shopper, page)
    transfer = orders_of(live_shop)[-1]
    order_page = f"/admin/orders/{transfer.public_id}"

    record(admin, order_page, "received", amount=3000, note="振込人 ヤマダタロウ")
    short = admin.get(order_page).get_data(as_text=True)
    assert "Received ¥3,000 of ¥3,650: ¥650 short." in short and "振込人 ヤマダタロウ" in short
    assert orders_of(live_shop)[-1].status == OrderStatus.AWAITING_TRANSFER

    stale = form_data(admin, order_page, "received")  # a second tab, still showing the form
    answer = record(admin, order_page, "received", amount=650)
    assert "Recorded ¥650: the order is paid." in admin.get(order_page).get_data(as_text=True)
    paid = orders_of(live_shop)[-1]
    assert paid.status == OrderStatus.PAID and paid.captured_amount == 3650 and paid.paid_at is not None
    assert answer.status_code == 303

    admin.post(f"{order_page}/transfer/received", data={**stale, "amount": 650})  # paid already: nothing written
    refused = admin.get(order_page).get_data(as_text=True)
    assert "This order is not waiting for a transfer, so nothing was recorded." in refused
    with live_shop.app.app_context():
        assert db.session.scalar(select(func.count(TransferEntry.id))) == 2

    subjects = lambda: [m["Subject"] for m in mail_catcher.messages()]  # noqa: E731
    live_shop.eventually(lambda: len(subjects()) == 2)
    assert sum("We received your payment" in subject for subject in subjects()) == 1


def test_bad_amounts_and_a_form_sent_twice_write_nothing(live_shop, admin):
    transfer = transfer_order_from_checkout(live_shop)
    order_page = f"/admin/orders/{transfer.public_id}"
    assert "Enter at least ¥1." in record(admin, order_page, "received", amount=0, follow=True)
    assert "Enter at most ¥10,000,000." in record(admin, order_page, "received", amount=10_000_001, follow=True)
    assert "Enter the amount in whole yen." in record(admin, order_page, "received", amount="12.5", follow=True)
    token = TOKEN.search(admin.get(order_page).get_data(as_text=True)).group(1)
    record(admin, order_page, "received", amount=1000, token=token)
    assert "This was already recorded." in record(admin, order_page, "received", amount=1000, token=token, follow=True)
    assert "record its refund before cancelling" in action(admin, order_page, "cancel")
    assert "Only ¥1,000 of this order can still be refunded." in record(
        admin, order_page, "refund", amount=1001, reason="requested_by_customer", follow=True)
    assert "Recorded a refund of ¥1,000." in record(admin, order_page, "refund", amount=1000,
                                                    reason="requested_by_customer", follow=True)
    stale = form_data(admin, order_page, "received")
    assert "The order was cancelled" in action(admin, order_page, "cancel")
    admin.post(f"{order_page}/transfer/received", data={**stale, "amount": 5})
    assert "This order is not waiting for a transfer" in admin.get(order_page).get_data(as_text=True)
    order = orders_of(live_shop)[-1]
    assert (order.status, order.captured_amount, order.refunded_amount) == (OrderStatus.CANCELLED, 1000, 1000)


def test_a_lapsed_deadline_is_cancelled_by_the_worker_with_an_email(live_shop, mail_catcher):
    transfer = transfer_order_from_checkout(live_shop)
    live_shop.eventually(lambda: len(mail_catcher.messages()) == 1)  # the instructions
    with live_shop.app.app_context():
        assert run_once(("transfers",), as_of=transfer.payment_due_at - timedelta(minutes=1))["transfers"] == \
            {"cancelled": 0}
        assert run_once(("transfers",), as_of=transfer.payment_due_at + timedelta(seconds=1))["transfers"] == \
            {"cancelled": 1}
    cancelled = orders_of(live_shop)[-1]
    assert cancelled.status == OrderStatus.CANCELLED
    assert history(live_shop, cancelled) == ["checkout", "deadline"]
    live_shop.eventually(lambda: len(mail_catcher.messages()) == 2)
    text, _html = parts(mail_catcher.messages()[-1])
    assert "had not arrived by the deadline" in text and cancelled.number in text
    page = live_shop.shopper().get(f"{live_shop.url}/transfer/{cancelled.public_id}").text
    assert "This order was cancelled" in page


def test_the_deadline_is_the_end_of_a_day_in_japan(live_shop):
    transfer = transfer_order_from_checkout(live_shop)
    local = (transfer.payment_due_at + timedelta(hours=9))
    assert (local.hour, local.minute) == (23, 59)
    assert 7 <= (transfer.payment_due_at - utcnow()).days <= 8


def test_a_tampered_method_or_an_empty_cart_gets_a_clear_answer(live_shop):
    shopper = live_shop.shopper()
    shopper.add("kyoto-hojicha", 1)
    answer = shopper.checkout(payment_method="cash")
    assert answer.status_code == 400 and "Choose how you would like to pay." in answer.text
    assert orders_of(live_shop) == []
    form = shopper.checkout_form()
    placed = shopper.checkout(form, payment_method="bank_transfer")
    assert placed.status_code == 303
    twice = shopper.checkout(form, payment_method="bank_transfer")  # the cart is empty now
    assert twice.status_code == 303 and twice.headers["Location"].endswith("/cart")
    assert len(orders_of(live_shop)) == 1


def test_a_cancelled_smartpay_checkout_offers_transfer_beside_returning_to_smartpay(live_shop):
    shopper, hosted = live_shop.start_purchase()
    page = shopper.get(cancel(hosted).headers["Location"]).text
    assert "Return to Smartpay to pay" in page and "Pay by bank transfer" in page
    stranger = live_shop.shopper()  # the page's address alone is not enough: the button needs the shopper's cart
    stranger_page = stranger.get(shopper.url + "/checkout/cancelled/" + live_shop.order_public_id()).text
    assert "Pay by bank transfer" not in stranger_page and "open this page in the browser you ordered from" in stranger_page
    answer = pay_by_transfer_instead(shopper, page)
    smartpay_order, transfer = orders_of(live_shop)
    assert answer.status_code == 303 and transfer.follows_order_id == smartpay_order.id
    assert smartpay_order.status == OrderStatus.AWAITING_PAYMENT  # Smartpay's order stays as Smartpay has it


def test_each_methods_admin_actions_refuse_the_other_methods_orders(live_shop, admin):
    transfer = transfer_order_from_checkout(live_shop)
    shopper, hosted = live_shop.start_purchase()
    shopper.get(pay(hosted).headers["Location"])
    smartpay_order = orders_of(live_shop)[-1]
    csrf = CSRF.search(admin.get(f"/admin/orders/{smartpay_order.public_id}").get_data(as_text=True)).group(1)
    for order, action_path in ((smartpay_order, "transfer/cancel"), (smartpay_order, "transfer/refund"),
                               (transfer, "refunds"), (transfer, "cancel"), (transfer, "capture")):
        answer = admin.post(f"/admin/orders/{order.public_id}/{action_path}",
                            data={"csrf_token": csrf, "token": "t" * 22, "amount": 100, "payment": "payment_test_x",
                                  "reason": "requested_by_customer"})
        assert answer.status_code == 404, action_path
    assert [(o.status, o.refunded_amount) for o in orders_of(live_shop)[-2:]] == [
        (OrderStatus.AWAITING_TRANSFER, 0), (OrderStatus.PAID, 0)]


def transfer_order_from_checkout(shop) -> Order:
    shopper = shop.shopper()
    shopper.add("kyoto-hojicha", 2)
    shopper.add("tenugui-waves", 1)
    answer = shopper.checkout(payment_method="bank_transfer")
    assert answer.status_code == 303 and "/transfer/" in answer.headers["Location"]
    return orders_of(shop)[-1]


def history(shop, order) -> list[str]:
    with shop.app.app_context():
        return [event.source for event in db.session.get(Order, order.id).history]


