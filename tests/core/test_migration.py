"""The payment core's migration upgrades a shop that has orders, history, refunds, emails and webhooks, on the
suite's engine (SQLite, or PostgreSQL in CI), and afterwards the database refuses a status nobody knows."""
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storefront.extensions import db
from tests.support.migrations import upgraded_from

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


# --- a7c3e5f1b9d4: bank transfer beside Smartpay -----------------------------------------------------------

BEFORE_BANK_TRANSFER = "b6e1d3a8c5f2"


@pytest.fixture
def upgraded_to_two_methods(tmp_path):
    rows = [f"INSERT INTO orders ({ORDER_COLUMNS}) VALUES ({order_values(public_id, status)})"
            for public_id, status in (("o1", "paid"), ("o2", "rejected"))]
    rows.append("INSERT INTO order_events (order_id, from_status, to_status, source, note, created_at) "
                "VALUES (1, 'awaiting_payment', 'paid', 'sync', '', '2026-11-01')")
    with upgraded_from(tmp_path, BEFORE_BANK_TRANSFER, rows) as app:
        yield app


def test_every_earlier_order_was_paid_with_smartpay(upgraded_to_two_methods):
    with db.engine.connect() as connection:
        found = connection.execute(text("SELECT number, status, payment_method, follows_order_id, payment_due_at "
                                        "FROM orders ORDER BY id")).all()
    assert [tuple(row) for row in found] == [("HM-O1", "paid", "smartpay", None, None),
                                             ("HM-O2", "rejected", "smartpay", None, None)]


def test_a_transfer_order_can_follow_a_declined_one_once(upgraded_to_two_methods):
    follow = (f"INSERT INTO orders ({ORDER_COLUMNS}, payment_method, follows_order_id) "
              f"VALUES ({order_values('{id}', 'awaiting_transfer')}, 'bank_transfer', 2)")
    with db.engine.begin() as connection:
        connection.execute(text(follow.replace("{id}", "o3")))
        connection.execute(text("INSERT INTO order_events (order_id, from_status, to_status, source, note, "
                                "created_at) VALUES (3, 'pending', 'awaiting_transfer', 'checkout', '', '2026-11-02')"))
    with pytest.raises(IntegrityError):
        with db.engine.begin() as connection:
            connection.execute(text(follow.replace("{id}", "o4")))


def test_a_method_a_package_registers_needs_no_migration_and_earlier_orders_belong_to_a_cart(upgraded_to_two_methods):
    """The payment method is any registered code (checkout/methods.py checks it), so the column takes a new one."""
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE orders SET payment_method = 'counter' WHERE id = 2"))
        found = connection.execute(text("SELECT payment_method, belongs_to FROM orders ORDER BY id")).all()
    assert [tuple(row) for row in found] == [("smartpay", "cart"), ("counter", "cart")]


@pytest.mark.parametrize("statement", [
    "INSERT INTO bank_transfer_entries (public_id, order_id, kind, amount, reason, note, created_by, created_at) "
    "VALUES ('t1', 1, 'found', 100, '', '', 'admin:a@b', '2026-11-02')",
    "INSERT INTO bank_transfer_entries (public_id, order_id, kind, amount, reason, note, created_by, created_at) "
    "VALUES ('t2', 1, 'received', 0, '', '', 'admin:a@b', '2026-11-02')",
])
def test_the_database_refuses_an_unknown_transfer_entry(upgraded_to_two_methods, statement):
    with pytest.raises(IntegrityError, match=r"(?i)check"):
        with db.engine.begin() as connection:
            connection.execute(text(statement))


# --- f6a2c8e4b1d3: subscribable teas, subscriptions waiting for consent -------------------------------------

def test_the_teas_become_subscribable_and_the_catalog_version_still_follows_every_change(tmp_path):
    rows = ["INSERT INTO categories (slug, name_ja, name_en, position) VALUES ('tea', 'お茶', 'Tea', 0)",
            "INSERT INTO categories (slug, name_ja, name_en, position) VALUES ('kitchen', '台所', 'Kitchen', 1)",
            "INSERT INTO products (sku, slug, name_ja, name_en, description_ja, description_en, price, image, "
            "category_id, active) VALUES ('T-1', 'tea-1', '茶', 'Tea', '', '', 1000, 'x.svg', 1, true)",
            "INSERT INTO products (sku, slug, name_ja, name_en, description_ja, description_en, price, image, "
            "category_id, active) VALUES ('K-1', 'knife-1', '包丁', 'Knife', '', '', 9000, 'y.svg', 2, true)"]
    with upgraded_from(tmp_path, "e1d7b3f9a5c2", rows):
        with db.engine.begin() as connection:
            flags = connection.execute(text("SELECT sku, subscribable FROM products ORDER BY sku")).all()
            before = connection.execute(text("SELECT version FROM catalog_versions")).scalar()
            connection.execute(text("UPDATE products SET price = 1100 WHERE sku = 'T-1'"))
            after = connection.execute(text("SELECT version FROM catalog_versions")).scalar()
    assert [(sku, bool(flag)) for sku, flag in flags] == [("K-1", False), ("T-1", True)]
    assert before != after  # the triggers survived the migration (a batch copy of products would drop them)
