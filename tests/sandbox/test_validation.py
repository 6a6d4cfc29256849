"""The sandbox refuses bad requests like a strict payment API: 4xx, an errorCode, and the bad fields named."""
import pytest


def assert_refused(response, status: int, code: str, *fields: str):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    assert response.json["errorCode"] == code
    assert response.json["statusCode"] == status
    for field in fields:
        assert any(detail.startswith(field) for detail in response.json["details"]), response.json["details"]


def test_the_contract_example_body_is_accepted(api_client, body):
    response = api_client.post("/v1/checkout-sessions", json=body)
    assert response.status_code == 200
    session = response.json
    assert session["object"] == "checkoutSession" and session["id"].startswith("checkout_test_")
    assert session["order"]["status"] == "requires_authorization" and session["order"]["amount"] == 601
    assert session["url"].startswith("http://sandbox.test/checkout/" + session["id"] + ".")


def test_malformed_json_is_400_request_malformed(api_client):
    response = api_client.post("/v1/checkout-sessions", data=b'{"amount": ', content_type="application/json")
    assert_refused(response, 400, "request.malformed")


def test_a_2_mb_body_is_413_in_json(api_client):
    response = api_client.post("/v1/checkout-sessions", data=b" " * (2 * 1024 * 1024), content_type="application/json")
    assert_refused(response, 413, "request.too-large", "body")


def test_negative_amount(api_client, body):
    body["items"][0]["amount"] = -1000
    assert_refused(api_client.post("/v1/checkout-sessions", json=body), 400, "request.invalid", "items[0].amount")


def test_51_items(api_client, body):
    body["items"] = [{"name": f"item {n}", "amount": 10, "quantity": 1} for n in range(51)]
    body["amount"] = 511
    assert_refused(api_client.post("/v1/checkout-sessions", json=body), 400, "request.invalid", "items")


def test_string_quantity(api_client, body):
    body["items"][0]["quantity"] = "1"
    assert_refused(api_client.post("/v1/checkout-sessions", json=body), 400, "request.invalid", "items[0].quantity")


def test_amount_that_does_not_add_up(api_client, body):
    body["amount"] = 600
    response = api_client.post("/v1/checkout-sessions", json=body)
    assert_refused(response, 400, "request.invalid", "amount")
    assert "(601)" in response.json["details"][0]


def test_every_missing_required_field_is_named(api_client):
    response = api_client.post("/v1/checkout-sessions", json={})
    assert_refused(response, 400, "request.invalid", "currency", "amount", "items", "shippingInfo",
                   "customerInfo", "successUrl", "cancelUrl")


@pytest.mark.parametrize("change, field", [
    (lambda b: b.update(currency="USD"), "currency"),
    (lambda b: b["shippingInfo"]["address"].update(country="US"), "shippingInfo.address.country"),
    (lambda b: b["shippingInfo"]["address"].pop("line1"), "shippingInfo.address.line1"),
    (lambda b: b.update(successUrl="not a url"), "successUrl"),
    (lambda b: b.update(captureMethod="later"), "captureMethod"),
    (lambda b: b.update(items=[{"kind": "tax", "name": "tax", "amount": 601}]), "items"),
    (lambda b: b["items"][0].update(quantity=0), "items[0].quantity"),
    (lambda b: b["items"][0].update(amount=True), "items[0].amount"),
])
def test_bad_fields_are_named(api_client, body, change, field):
    change(body)
    assert_refused(api_client.post("/v1/checkout-sessions", json=body), 400, "request.invalid", field)


def test_null_means_absent_as_the_python_sdk_sends_it(api_client, body):
    body.update(captureMethod=None, description=None, metadata=None, locale=None)
    body["items"][0].update(brand=None, images=None, quantity=None)
    body["customerInfo"].update(phoneNumber=None)
    response = api_client.post("/v1/checkout-sessions?dev-lang=python&sdk-version=0.5.0", json=body)
    assert response.status_code == 200, response.json
    assert response.json["order"]["captureMethod"] == "automatic"


def test_lower_case_currency_is_accepted_and_returned_upper_case(api_client, body):
    body["currency"] = "jpy"
    body["shippingInfo"]["feeCurrency"] = "jpy"
    assert api_client.post("/v1/checkout-sessions", json=body).json["order"]["currency"] == "JPY"


@pytest.mark.parametrize("header", [None, "Bearer sk_test_abc", "Basic sk_live_abc", "Basic pk_test_abc", "Basic "])
def test_missing_live_or_malformed_keys_are_401(sandbox_app, header):
    headers = {"Authorization": header} if header else {}
    response = sandbox_app.test_client().get("/v1/orders", headers=headers)
    assert_refused(response, 401, "unauthorized")
    if header == "Basic sk_live_abc":
        assert "test keys only" in response.json["message"]


def test_unknown_order_is_404_order_not_found(api_client):
    assert_refused(api_client.get("/v1/orders/order_test_doesnotexist0000000000"), 404, "order.not-found")
    assert_refused(api_client.post("/v1/payments", json={"order": "order_test_nope", "amount": 1, "currency": "JPY"}),
                   404, "order.not-found")


def test_unknown_routes_and_methods_answer_json(api_client):
    assert_refused(api_client.get("/v1/no-such-thing"), 404, "resource.not-found")
    assert_refused(api_client.delete("/v1/orders"), 405, "request.method-not-allowed")


def test_refund_and_payment_bodies_are_checked(api_client):
    response = api_client.post("/v1/refunds", json={"payment": 5, "amount": -3, "currency": "EUR", "reason": "oops"})
    assert_refused(response, 400, "request.invalid", "payment", "amount", "currency", "reason")
    response = api_client.post("/v1/payments", json={"amount": 0})
    assert_refused(response, 400, "request.invalid", "order", "amount", "currency")


def test_webhook_endpoint_with_an_unknown_event_type(api_client):
    response = api_client.post("/v1/webhook-endpoints", json={"url": "http://x.test/h", "eventSubscriptions": ["order.eaten"]})
    assert_refused(response, 400, "request.invalid", "eventSubscriptions[0]")


def test_pagination_is_newest_first_with_tokens(api_client, body):
    created = [api_client.post("/v1/checkout-sessions", json=body).json["order"]["id"] for _ in range(5)]
    first = api_client.get("/v1/orders?maxResults=2").json
    assert first["object"] == "collection" and first["maxResults"] == 2 and first["results"] == 2
    assert [order["id"] for order in first["data"]] == created[::-1][:2]
    second = api_client.get(f"/v1/orders?maxResults=2&pageToken={first['nextPageToken']}").json
    assert second["pageToken"] == first["nextPageToken"]
    last = api_client.get(f"/v1/orders?maxResults=2&pageToken={second['nextPageToken']}").json
    assert [order["id"] for order in last["data"]] == created[:1] and last["nextPageToken"] is None
    assert_refused(api_client.get("/v1/orders?maxResults=500"), 400, "request.invalid", "maxResults")


def test_expand_all_returns_line_items_prices_and_products(api_client, body):
    session = api_client.post("/v1/checkout-sessions", json=body).json
    plain = api_client.get(f"/v1/checkout-sessions/{session['id']}").json
    assert plain["order"] == session["order"]["id"]
    expanded = api_client.get(f"/v1/checkout-sessions/{session['id']}?expand=all").json
    line = expanded["order"]["lineItems"][0]
    assert line["object"] == "lineItem" and line["price"]["product"]["name"] == "ice cream"
    order = api_client.get(f"/v1/orders/{session['order']['id']}").json
    assert all(item.startswith("li_test_") for item in order["lineItems"])
    assert [item["kind"] for item in expanded["order"]["lineItems"]] == ["product", "discount", "tax"]


def test_an_authorization_not_captured_within_7_days_lapses(sandbox_app, api_client, body):
    from sandbox import ledger
    from sandbox.extensions import db
    from sandbox.models import Order

    order_id = api_client.post("/v1/checkout-sessions", json={**body, "captureMethod": "manual"}).json["order"]["id"]
    with sandbox_app.app_context():
        order = db.session.get(Order, order_id)
        ledger.approve(order)
        order.expires_at = order.expires_at - 8 * 24 * 60 * 60 * 1000  # as if a week had passed
        db.session.commit()
    assert api_client.get(f"/v1/orders/{order_id}").json["status"] == "canceled"
    refused = api_client.post("/v1/payments", json={"order": order_id, "amount": 601, "currency": "JPY"})
    assert refused.status_code == 409 and refused.json["errorCode"] == "order.cannot-capture"


def test_the_worker_sweep_cancels_a_lapsed_authorization_nobody_reads(sandbox_app, api_client, body):
    from sandbox import ledger
    from sandbox.extensions import db
    from sandbox.models import Event, Order

    order_id = api_client.post("/v1/checkout-sessions", json={**body, "captureMethod": "manual"}).json["order"]["id"]
    with sandbox_app.app_context():
        ledger.approve(db.session.get(Order, order_id))
        db.session.get(Order, order_id).expires_at -= 8 * 24 * 60 * 60 * 1000
        db.session.commit()
        assert ledger.expire_lapsed_authorizations() == 1
        assert db.session.get(Order, order_id).status == "canceled"
        assert [e.type for e in db.session.query(Event).filter_by(order_id=order_id)] == [
            "order.authorized", "order.canceled"]
