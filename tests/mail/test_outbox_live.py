"""Order emails through the outbox, delivered over SMTP to a real server process (the catcher), exactly once."""
import threading

import pytest
from sqlalchemy import func, select, update

from storefront.extensions import db
from storefront.mail import OutboxEmail
from storefront.models import utcnow
from tests.support.admin import paid_order, refund, wait_for
from tests.support.mail import MailCatcher, mail_settings, parts
from tests.support.sandbox import free_port, pay

pytestmark = pytest.mark.live


@pytest.fixture
def shop_settings(mail_catcher):
    return mail_settings(mail_catcher)


def send(shop) -> str:
    return shop.cli("mail", "send-pending")


def outbox(shop) -> list[OutboxEmail]:
    with shop.app.app_context():
        rows = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
        db.session.expunge_all()
        return rows


def webhooks_done(shop, count=2):
    from storefront.smartpay.models import WebhookEvent

    with shop.app.app_context():
        def processed():
            db.session.rollback()
            return db.session.scalar(select(func.count(WebhookEvent.id))
                                     .where(WebhookEvent.processed_at.is_not(None))) >= count
        wait_for(processed)


def test_a_purchase_sends_one_confirmation_with_everything_the_shopper_needs(live_shop, mail_catcher):
    order = paid_order(live_shop)  # the return page saw it paid
    webhooks_done(live_shop)       # and so did the two webhooks
    assert "Sent 1," in send(live_shop) and "Sent 0," in send(live_shop)
    [message] = mail_catcher.messages()
    text, html = parts(message)
    assert message["To"] == "taro+test@example.com" and order.number in message["Subject"]
    assert message["From"] == "Hinoki Market <orders@hinoki-market.example>"
    assert message["Reply-To"] == "support@hinoki-market.example"
    for body in (text, html):
        assert order.number in body and "Seki Santoku Knife 165 mm" in body and "¥12,100" in body
        assert "目黒1-2-3" in body and "3 instalments with no interest or fees" in body
        assert "support@hinoki-market.example" in body
        assert "order_test_" not in body and "sk_test_" not in body  # no Smartpay ids, nothing secret
    assert "¥4,034 first, then ¥4,033" in text  # 12,100 in three: what the hosted page promised


def test_a_crash_after_the_payment_loses_no_email(live_shop, mail_catcher):
    """The status change and the email row commit together: with no sender running (a crash), nothing is
    sent and nothing is lost; the next run of the sender sends it, once."""
    paid_order(live_shop)
    assert mail_catcher.messages() == [] and [e.status for e in outbox(live_shop)] == ["pending"]
    send(live_shop)
    send(live_shop)
    assert len(mail_catcher.messages()) == 1 and [e.status for e in outbox(live_shop)] == ["sent"]


def test_the_return_page_and_the_webhook_racing_queue_one_email(live_shop, mail_catcher):
    shopper, hosted_url = live_shop.start_purchase()
    back = pay(hosted_url).headers["Location"]
    threads = [threading.Thread(target=shopper.get, args=(back,)) for _ in range(4)]  # and the webhooks meanwhile
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    webhooks_done(live_shop)
    send(live_shop)
    assert [e.kind for e in outbox(live_shop)] == ["confirmation"] and len(mail_catcher.messages()) == 1


def test_two_partial_refunds_send_two_notices(admin, live_shop, mail_catcher):  # noqa: F811
    order = paid_order(live_shop)
    refund(admin, order, 2000)
    refund(admin, order, 3000)
    webhooks_done(live_shop, 4)  # order.authorized, payment.created and two refund.created
    send(live_shop)
    kinds = [e.kind for e in outbox(live_shop)]
    assert kinds == ["confirmation", "refund", "refund"]
    notices = [parts(m)[0] for m in mail_catcher.messages() if "refund" in m["Subject"]]
    assert len(notices) == 2 and "We have refunded ¥2,000" in notices[0] and "We have refunded ¥3,000" in notices[1]
    assert "Refunded so far: ¥5,000 of ¥12,100." in notices[1]


def test_a_japanese_order_gets_a_japanese_email_in_yen(live_shop, mail_catcher):
    shopper = live_shop.shopper("ja")
    shopper.add("kyoto-hojicha", 2)
    back = pay(shopper.checkout().headers["Location"]).headers["Location"]
    shopper.get(back)
    send(live_shop)
    [message] = mail_catcher.messages()
    text, html = parts(message)
    number = live_shop.order().number
    assert message["Subject"].strip() == f"【Hinoki Market】ご注文ありがとうございます（注文番号：{number}）"
    assert text.replace("\r\n", "\n").startswith("Yamada Taro 様\n\nこのたびはHinoki Marketをご利用いただき、誠にありがとうございます。")
    blocks = [text.index(heading) for heading in ("【ご注文内容】", "【お届け先】", "【お支払い方法】")]
    assert blocks == sorted(blocks) and f"注文番号：{number}" in text
    assert "京都 ほうじ茶 80g※ × 2" in text and "2,660円" in text and "3回あと払い（手数料無料）" in text
    assert "今後ともよろしくお願いいたします。" in text and "お問い合わせ：support@hinoki-market.example" in text
    assert '<html lang="ja">' in html and "【お届け先】" in html


def test_an_smtp_server_that_is_down_gets_the_email_when_it_is_back(live_shop, database, sandbox_server, secret_key):
    from tests.support.storefront import start_live_shop

    port = free_port()  # nothing listens here yet
    live_shop_down, server = start_live_shop(database, sandbox_server, secret_key + "down", MAIL_SERVER="127.0.0.1",
                                             MAIL_PORT=port, MAIL_TIMEOUT=2)
    catcher = None
    try:
        paid_order(live_shop_down)
        assert "deferred 1" in send(live_shop_down)
        [row] = outbox(live_shop_down)
        assert row.status == "pending" and row.attempts == 1 and "ConnectionRefusedError" in row.last_error
        catcher = MailCatcher(port).start()
        assert "Sent 0," in send(live_shop_down)  # not due yet: it waits its backoff
        with live_shop_down.app.app_context():  # … time passes
            db.session.execute(update(OutboxEmail).values(next_attempt_at=utcnow()))
            db.session.commit()
        send(live_shop_down)
        send(live_shop_down)
        assert len(catcher.messages()) == 1 and outbox(live_shop_down)[0].status == "sent"
    finally:
        server.stop()
        if catcher:
            catcher.stop()


def test_a_refused_address_leaves_the_row_failed_with_the_reason(live_shop, mail_catcher):
    shopper = live_shop.shopper()
    shopper.add("tenugui-waves", 1)
    back = pay(shopper.checkout(email="bounce@example.com").headers["Location"]).headers["Location"]
    shopper.get(back)
    assert "failed 1" in send(live_shop)
    [row] = outbox(live_shop)
    assert row.status == "failed" and "550" in row.last_error and "Check the address" in row.last_error
    assert live_shop.order().status == "paid"  # the order is unaffected


def test_the_admin_sees_each_email_and_can_send_it_again(admin, live_shop, mail_catcher):  # noqa: F811
    paid_order(live_shop)
    send(live_shop)
    [row] = outbox(live_shop)
    listing = admin.get("/admin/emails").get_data(as_text=True)
    assert row.subject in listing and ">sent<" in listing
    page = admin.get(f"/admin/emails/{row.public_id}").get_data(as_text=True)
    assert "Seki Santoku Knife 165 mm" in page and f"/admin/emails/{row.public_id}/html" in page
    framed = admin.get(f"/admin/emails/{row.public_id}/html")
    assert framed.headers["X-Frame-Options"] == "SAMEORIGIN" and "script-src" not in framed.headers["Content-Security-Policy"]
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    again = admin.post(f"/admin/emails/{row.public_id}/send-again", data={"csrf_token": token}, follow_redirects=True)
    assert "is queued again" in again.get_data(as_text=True)
    send(live_shop)
    assert len(mail_catcher.messages()) == 2


class TestManualCapture:
    @pytest.fixture
    def shop_settings(self, mail_catcher):
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_catcher.port, "SMARTPAY_CAPTURE_METHOD": "manual"}

    def test_an_authorized_order_is_confirmed_and_its_cancellation_told(self, admin, live_shop, mail_catcher):  # noqa: F811
        order = paid_order(live_shop)
        page = admin.get(f"/admin/orders/{order.public_id}").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        admin.post(f"/admin/orders/{order.public_id}/cancel", data={"csrf_token": token})
        send(live_shop)
        assert [e.kind for e in outbox(live_shop)] == ["confirmation", "cancelled"]
        cancelled = parts(mail_catcher.messages()[1])[0]
        assert "was cancelled" in cancelled and "nothing will be charged" in cancelled
