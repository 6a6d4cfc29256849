"""What an operator relies on: health checks, request ids in logs and log rows, JSON logs, demo reset."""
import io
import json
import logging
import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from storefront.admin.models import AdminUser
from storefront.bank_transfer.models import TransferEntry
from storefront.bank_transfer.transfers import record_received
from storefront.extensions import db
from storefront.models import Cart, Order, Product
from storefront.request_id import ShopLogHandler
from storefront.smartpay.models import ApiCall, WebhookEvent
from tests.conftest import csrf_token, make_app
from tests.support.migrations import BEFORE_LANGUAGES, scratch_database
from tests.support.waiting import wait_until


def test_healthz_answers_without_touching_anything(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.get_json() == {"status": "ok"}


def test_readyz_reports_the_database_and_smartpay_without_failing_on_smartpay(client):
    body = client.get("/readyz").get_json()
    assert body["status"] == "ready" and body["database"] == "ok"
    assert body["smartpay"] == {"reachable": False, "error": "ConnectionError"}  # the test config's port 9


def test_readyz_is_not_ready_until_the_migrations_are_applied(tmp_path):
    with scratch_database(tmp_path) as url:
        app = make_app(url)
        client = app.test_client()
        answer = client.get("/readyz")
        assert answer.status_code == 503 and answer.get_json()["database"].startswith("unreachable or not migrated")
        with app.app_context():
            upgrade(revision=BEFORE_LANGUAGES)
        answer = client.get("/readyz")
        assert answer.status_code == 503 and "run flask db upgrade" in answer.get_json()["database"]
        with app.app_context():
            upgrade()
            db.engine.dispose()
        assert client.get("/readyz").status_code == 200


def test_every_response_has_a_request_id_and_a_sane_one_is_kept(client):
    made = client.get("/").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{24}", made)
    assert client.get("/", headers={"X-Request-ID": "lb-7f3a9c21-0001"}).headers["X-Request-ID"] == "lb-7f3a9c21-0001"
    for insane in ["short", "x" * 200, "has space inside it", "<script>alert(1)</script>"]:
        assert client.get("/", headers={"X-Request-ID": insane}).headers["X-Request-ID"] != insane


@pytest.fixture
def log_lines(app):
    """What the shop's own log handler writes, one line per entry."""
    stream = io.StringIO()
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, ShopLogHandler))
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


@pytest.fixture
def app_settings():
    return {"LOG_FORMAT": "json"}


def test_json_logs_carry_the_request_id_and_so_do_the_api_log_rows(client, app, catalog, log_lines):
    html = client.get("/products/kyoto-hojicha").get_data(as_text=True)
    product_id = re.search(r'name="product_id" value="(\d+)"', html).group(1)
    client.post("/cart/add", data={"csrf_token": csrf_token(client, "/"), "product_id": product_id, "quantity": 1})
    page = client.get("/checkout/").get_data(as_text=True)
    from tests.support.storefront import CUSTOMER, SUBMISSION

    answer = client.post("/checkout/", headers={"X-Request-ID": "purchase-0000001"}, data={
        "csrf_token": csrf_token(client, "/checkout/"), "submission_id": SUBMISSION.search(page).group(1), **CUSTOMER})
    assert answer.status_code == 502  # nothing listens where the test config puts Smartpay
    entries = [json.loads(line) for line in log_lines()]
    failure = [e for e in entries if "failed" in e["message"] and e["logger"] == "storefront"]
    assert failure and failure[0]["request_id"] == "purchase-0000001" and failure[0]["level"] == "WARNING"
    with app.app_context():
        assert db.session.scalars(select(ApiCall.request_id)).all() == ["purchase-0000001"]


def test_refused_webhooks_are_logged_with_their_request_id(client, app):
    client.post("/webhooks/smartpay", data=b"{}", headers={"X-Request-ID": "delivery-00000042"})
    with app.app_context():
        assert db.session.scalar(select(WebhookEvent.request_id)) == "delivery-00000042"


def wait_until_committed(condition, seconds: float = 10) -> None:
    wait_until(condition, seconds, between=db.session.rollback)


# --- flask demo reset -----------------------------------------------------------------------------------

def test_demo_reset_refuses_in_production(runner, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    result = runner.invoke(args=["demo", "reset", "--yes"])
    assert result.exit_code == 1 and "refuses to run with APP_ENV=production" in result.output


@pytest.mark.live
def test_demo_reset_empties_the_shop_and_starts_a_fresh_sandbox_account(live_shop, tmp_path, monkeypatch):
    monkeypatch.setattr("storefront.demo_reset.INSTANCE", tmp_path)
    shopper, hosted_url = live_shop.start_purchase()
    from tests.support.sandbox import pay

    pay(hosted_url)
    by_transfer = live_shop.shopper()
    by_transfer.add("kyoto-hojicha", 1)
    by_transfer.checkout(payment_method="bank_transfer")  # and part of its money recorded: rows that point at it
    with live_shop.app.app_context():
        record_received(db.session.scalar(select(Order).order_by(Order.id.desc())), 100, "", "admin:a@b", "t" * 22)
        db.session.add(AdminUser(email="keep@example.com", password_hash="x"))
        db.session.commit()
        # the old account's two webhooks, stored and acted on, before the reset (a demo is reset between audiences)
        wait_until_committed(lambda: db.session.scalar(select(func.count(WebhookEvent.id))
                                             .where(WebhookEvent.processed_at.is_not(None))) == 2)
    output = live_shop.cli("demo", "reset", "--yes")
    new_key = (tmp_path / "sandbox-key").read_text().strip()
    assert new_key.startswith("sk_test_") and new_key != live_shop.key and new_key in output
    assert "Registered webhook endpoint" in output
    with live_shop.app.app_context():
        counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Order, TransferEntry, Cart, ApiCall, WebhookEvent, Product, AdminUser)}
    assert counts == {"Order": 0, "TransferEntry": 0, "Cart": 0, "ApiCall": 1, "WebhookEvent": 0, "Product": 16,
                      "AdminUser": 1}
    # the one API call left is the new account's webhook registration
    endpoints = live_shop.api("GET", "/webhook-endpoints", headers={"Authorization": f"Basic {new_key}"}).json()
    assert [e["url"] for e in endpoints["data"]] == [live_shop.url + "/webhooks/smartpay"]
