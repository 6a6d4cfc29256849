"""The refund and cancellation notices read as a shop's email in each language: 【】 blocks, 様 and the merchant
in the first person in Japanese; plain English in English. Rendered straight from the outbox functions."""
from sqlalchemy import select

from storefront.extensions import db
from storefront.mail import OutboxEmail, queue_cancellation, queue_refund_notice
from storefront.models import Refund
from storefront.statuses import OrderStatus, RefundStatus
from tests.support.factories import an_order


def notices(app, locale: str) -> dict[str, OutboxEmail]:
    with app.app_context():
        order = an_order(OrderStatus.PARTIALLY_REFUNDED, locale=locale, refunded_amount=500, captured_amount=1500)
        refund = Refund(order_id=order.id, smartpay_payment_id="payment_test_1", amount=500,
                        reason="requested_by_customer", status=RefundStatus.SUCCEEDED)
        db.session.add(refund)
        db.session.flush()
        queue_refund_notice(order, refund)
        queue_cancellation(order)
        db.session.commit()
        emails = {email.kind: email for email in db.session.scalars(select(OutboxEmail))}
        db.session.expunge_all()
        return emails


def test_japanese_notices_in_the_form_of_a_japanese_shop(app):
    emails = notices(app, "ja")
    refund, cancelled = emails["refund"], emails["cancelled"]
    assert refund.subject == "【Hinoki Market】ご返金のお知らせ（注文番号：HM-TEST0001）"
    assert cancelled.subject == "【Hinoki Market】ご注文キャンセルのお知らせ（注文番号：HM-TEST0001）"
    assert refund.text_body.startswith("Sato Ken 様\n\nこのたびはHinoki Marketをご利用いただき")
    assert "ご注文（HM-TEST0001）について、Smartpayを通じて500円を返金いたしました。" in refund.text_body
    assert "【ご返金内容】\n注文番号：HM-TEST0001\n今回の返金額：500円\n返金額の合計：500円（ご注文金額：1,500円）" in refund.text_body
    assert "ご注文（HM-TEST0001）をキャンセルいたしました。" in cancelled.text_body and "【ご注文内容】" in cancelled.text_body
    for email in emails.values():
        assert email.text_body.rstrip().endswith("--------------------------------")
        assert "今後ともよろしくお願いいたします。" in email.text_body and "今後ともよろしくお願いいたします。" in email.html_body


def test_english_notices_keep_their_own_form(app):
    emails = notices(app, "en")
    refund = emails["refund"]
    assert refund.subject == "A refund for your Hinoki Market order HM-TEST0001"
    assert refund.text_body.startswith("Dear Sato Ken,\n\nThank you for shopping at Hinoki Market.")
    assert "Refund\nOrder number: HM-TEST0001\nRefunded now: ¥500" in refund.text_body
    assert "【" not in refund.text_body + emails["cancelled"].text_body
