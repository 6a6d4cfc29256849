"""The payment core's migration upgrades a shop that has orders, history, refunds, emails and webhooks, on the
suite's engine (SQLite, or PostgreSQL in CI), and afterwards the database refuses a status nobody knows."""
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storefront.extensions import db
from tests.i18n.test_migration import upgraded_from

BEFORE_THE_CORE = "d5a8c2f1e7b4"
ORDER_COLUMNS = ("public_id, number, status, email, family_name, given_name, family_name_kana, given_name_kana, "
                 "phone, postal_code, prefecture, city, address_line1, address_line2, subtotal, shipping_fee, total, "
                 "currency, capture_method, captured_amount, refunded_amount, refund_reserved, failure_reason, "
                 "locale, created_at, updated_at")


def order_values(public_id: str, status: str) -> str:
    return (f"'{public_id}', 'HM-{public_id.upper()}', '{status}', 'a@example.com', 'Sato', 'Ken', '', '', "
            "'0901234567', '150-0002', '東京都', '渋谷区', '1-1', '', 1000, 500, 1500, 'JPY', 'automatic', 1500, 0, 0, "
            "'', 'ja', '2026-11-01', '2026-11-01'")


def rows_before_the_core() -> list[str]:
    rows = [f"INSERT INTO orders ({ORDER_COLUMNS}) VALUES ({order_values('o1', 'paid')})"]
    rows += ["INSERT INTO order_events (order_id, from_status, to_status, source, note, created_at) "
             f"VALUES (1, 'awaiting_payment', 'paid', '{source}', '', '2026-11-01')"
             for source in ("return page", "webhook order.authorized", "admin owner@example.com", "sync")]
    rows.append("INSERT INTO refunds (public_id, order_id, smartpay_payment_id, amount, reason, note, status, error, "
                "created_by, created_at) VALUES ('r1', 1, 'payment_test_1', 500, 'requested_by_customer', '', "
                "'succeeded', '', 'owner@example.com', '2026-11-01')")
    rows.append("INSERT INTO outbox_emails (public_id, event_key, kind, order_id, to_address, subject, text_body, "
                "html_body, locale, status, attempts, last_error, next_attempt_at, created_at) VALUES ('m1', "
                "'confirmation:1', 'confirmation', 1, 'a@example.com', 's', 't', 'h', 'ja', 'sent', 1, '', "
                "'2026-11-01', '2026-11-01')")
    rows += ["INSERT INTO webhook_events (event_id, event_type, subscription_id, signature_valid, payload, result, "
             f"received_at, processed_at, request_id) VALUES ('{event_id}', 'order.authorized', '', "
             f"{str(valid).lower()}, '{{}}', '{result}', '2026-11-01', {processed}, '')"
             for event_id, valid, processed, result in (
                 ("evt_1", True, "'2026-11-01'", "order HM-O1: awaiting_payment → paid"),
                 ("rejected-1", False, "'2026-11-01'", "refused: signature does not match"),
                 ("evt_2", True, "NULL", ""),
                 ("evt_3", True, "'2026-11-01'", "could not read the order from Smartpay: 503"))]
    return rows


@pytest.fixture
def upgraded(tmp_path):
    with upgraded_from(tmp_path, BEFORE_THE_CORE, rows_before_the_core()) as app:
        yield app


def test_existing_rows_keep_their_meaning(upgraded):
    with db.engine.connect() as connection:
        sources = connection.execute(text("SELECT source FROM order_events ORDER BY id")).scalars().all()
        events = connection.execute(text("SELECT event_id, status, attempts FROM webhook_events ORDER BY id")).all()
        results = connection.execute(text("SELECT result FROM webhook_events ORDER BY id")).scalars().all()
        detail = connection.execute(text("SELECT result_detail FROM webhook_events WHERE event_id = 'evt_1'")).scalar()
        order = connection.execute(text("SELECT status FROM orders")).scalar()
    assert sources == ["return_page", "webhook:order.authorized", "admin:owner@example.com", "sync"]
    assert events == [("evt_1", "processed", 1), ("rejected-1", "refused", 0), ("evt_2", "received", 0),
                      ("evt_3", "processed", 1)]
    # The sentences the shop used to write are codes now, with what their labels need; others stay as written.
    assert results == ["order_checked", "bad_signature", "", "could not read the order from Smartpay: 503"]
    detail = json.loads(detail) if isinstance(detail, str) else detail
    assert detail == {"order": "HM-O1", "from": "awaiting_payment", "to": "paid"}
    assert order == "paid"


@pytest.mark.parametrize("table, statement", [
    ("orders", "UPDATE orders SET status = 'shipped'"),
    ("order_events", "UPDATE order_events SET to_status = 'teleported'"),
    ("refunds", "UPDATE refunds SET status = 'maybe'"),
    ("outbox_emails", "UPDATE outbox_emails SET status = 'lost'"),
    ("webhook_events", "UPDATE webhook_events SET status = 'done'"),
])
def test_the_database_refuses_a_status_nobody_knows(upgraded, table, statement):
    with pytest.raises(IntegrityError, match=r"(?i)check"):
        with db.engine.begin() as connection:
            connection.execute(text(statement))
