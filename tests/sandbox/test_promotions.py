"""Coupons and promotion codes in the sandbox, over HTTP as a merchant's server and a shopper would use them:
the API's objects and refusals, a code applied on the hosted page, and the order, payment and refunds that
follow on the reduced amount."""
import re
import time

import pytest
import requests

from tests.support.sandbox import api, consumer_token, ok, pay, refused

pytestmark = pytest.mark.live
ORDER_TOTAL = 601  # the contract's example body (tests/sandbox/conftest.py)


def coupon(sandbox, key, **changes) -> dict:
    return ok(sandbox, key, "POST", "/coupons", json={"name": "Autumn 100", "discountType": "amount",
                                                      "discountAmount": 100, "currency": "JPY", **changes})


def code(sandbox, key, coupon_id, text="AUTUMN", **changes) -> dict:
    return ok(sandbox, key, "POST", "/promotion-codes", json={"coupon": coupon_id, "code": text, **changes})


def session(sandbox, key, body) -> dict:
    return ok(sandbox, key, "POST", "/checkout-sessions", json=body)


def test_coupons_and_codes_are_created_read_listed_and_updated(sandbox, secret_key):
    made = coupon(sandbox, secret_key, metadata={"campaign": "autumn"})
    assert re.fullmatch(r"coupon_test_[0-9A-Za-z]{22}", made["id"]) and made["object"] == "coupon"
    assert (made["discountType"], made["discountAmount"], made["currency"], made["redemptionCount"],
            made["active"], made["sponsored"]) == ("amount", 100, "JPY", 0, True, False)
    percent = coupon(sandbox, secret_key, discountType="percentage", discountAmount=None, currency=None,
                     discountPercentage=10)
    assert percent["discountPercentage"] == 10 and "discountAmount" not in percent
    promo = code(sandbox, secret_key, made["id"], maxRedemptionCount=5, minimumAmount=500, currency="JPY")
    assert re.fullmatch(r"promotioncode_test_[0-9A-Za-z]{22}", promo["id"]) and promo["coupon"] == made["id"]
    assert ok(sandbox, secret_key, "GET", f"/promotion-codes/{promo['id']}?expand=all")["coupon"]["id"] == made["id"]
    assert [c["id"] for c in ok(sandbox, secret_key, "GET", "/coupons")["data"]] == [percent["id"], made["id"]]
    assert ok(sandbox, secret_key, "GET", "/promotion-codes")["data"][0]["code"] == "AUTUMN"
    updated = ok(sandbox, secret_key, "PATCH", f"/coupons/{made['id']}", json={"active": False, "name": "Closed"})
    assert (updated["active"], updated["name"]) == (False, "Closed")
    paused = ok(sandbox, secret_key, "PATCH", f"/promotion-codes/{promo['id']}", json={"metadata": {"a": "b"}})
    assert paused["metadata"] == {"a": "b"} and paused["active"] is True
    other_account = api(sandbox, "sk_test_someoneelse", "GET", f"/coupons/{made['id']}")
    refused(other_account, 404, "coupon.not-found")


@pytest.mark.parametrize("body, fields", [
    ({}, ["name", "discountType"]),
    ({"name": "x", "discountType": "amount", "discountAmount": -5, "currency": "JPY"}, ["discountAmount"]),
    ({"name": "x", "discountType": "amount", "discountAmount": 100}, ["currency"]),
    ({"name": "x", "discountType": "percentage", "discountPercentage": 120}, ["discountPercentage"]),
    ({"name": "x", "discountType": "percentage", "discountPercentage": 0}, ["discountPercentage"]),
    ({"name": "x", "discountType": "percentage", "discountPercentage": 10, "currency": "JPY"}, ["currency"]),
    ({"name": "x", "discountType": "free", "discountAmount": 1}, ["discountType"]),
    ({"name": "x", "discountType": "amount", "discountAmount": 1, "currency": "JPY", "expiresAt": 1000},
     ["expiresAt"]),
])
def test_a_malformed_coupon_is_400_and_nothing_is_written(sandbox, secret_key, body, fields):
    refused(api(sandbox, secret_key, "POST", "/coupons", json=body), 400, "request.invalid", *fields)
    assert ok(sandbox, secret_key, "GET", "/coupons")["data"] == []


def test_codes_are_unique_regardless_of_case_and_only_active_and_metadata_change(sandbox, secret_key):
    made = coupon(sandbox, secret_key)
    promo = code(sandbox, secret_key, made["id"], text="Welcome")
    refused(api(sandbox, secret_key, "POST", "/promotion-codes", json={"coupon": made["id"], "code": "WELCOME"}),
            409, "promotion-code.already-exists", "code")
    refused(api(sandbox, secret_key, "POST", "/promotion-codes", json={"coupon": made["id"], "code": "a b"}),
            400, "request.invalid", "code")
    refused(api(sandbox, secret_key, "POST", "/promotion-codes",
                json={"coupon": "coupon_test_nope", "code": "OTHER"}), 404, "coupon.not-found")
    refused(api(sandbox, secret_key, "POST", "/promotion-codes",
                json={"coupon": made["id"], "code": "MIN", "minimumAmount": 500}), 400, "request.invalid", "currency")
    refused(api(sandbox, secret_key, "PATCH", f"/promotion-codes/{promo['id']}", json={"code": "NEW"}),
            400, "request.invalid", "code")
    assert len(ok(sandbox, secret_key, "GET", "/promotion-codes")["data"]) == 1


def test_a_code_in_the_url_discounts_the_order_its_payment_and_refunds(sandbox, secret_key, body):
    made = coupon(sandbox, secret_key)
    promo = code(sandbox, secret_key, made["id"], text="AUTUMN")
    checkout = session(sandbox, secret_key, body)
    answer = pay(checkout["url"] + "?promotion-code=autumn")  # any case
    assert answer.status_code == 303 and answer.headers["Location"] == body["successUrl"]
    order = ok(sandbox, secret_key, "GET", f"/orders/{checkout['order']['id']}", params={"expand": "all"})
    assert order["amount"] == ORDER_TOTAL - 100 and order["discountAmount"] == 100
    [discount] = order["discounts"]
    assert (discount["object"], discount["amount"], discount["coupon"], discount["promotionCode"]) == (
        "discount", 100, made["id"], promo["id"])
    [payment] = order["payments"]
    assert payment["amount"] == ORDER_TOTAL - 100
    refund = {"payment": payment["id"], "currency": "JPY", "reason": "requested_by_customer"}
    assert ok(sandbox, secret_key, "POST", "/refunds", json={**refund, "amount": 200})["amount"] == 200
    refused(api(sandbox, secret_key, "POST", "/refunds", json={**refund, "amount": ORDER_TOTAL - 200}),
            403, "amount.insufficient")
    assert ok(sandbox, secret_key, "GET", f"/promotion-codes/{promo['id']}")["redemptionCount"] == 1
    assert ok(sandbox, secret_key, "GET", f"/coupons/{made['id']}")["redemptionCount"] == 1


@pytest.mark.parametrize("setup, words", [
    (lambda s, k, c: None, "There is no such promotion code"),
    (lambda s, k, c: ok(s, k, "PATCH", f"/promotion-codes/{c['id']}", json={"active": False}),
     "can no longer be used"),
    (lambda s, k, c: ok(s, k, "PATCH", f"/coupons/{c['coupon']}", json={"active": False}), "can no longer be used"),
])
def test_an_unknown_or_inactive_code_is_explained_on_the_hosted_page_and_nothing_is_charged(
        sandbox, secret_key, body, setup, words):
    made = coupon(sandbox, secret_key)
    promo = code(sandbox, secret_key, made["id"], text="REAL")
    setup(sandbox, secret_key, promo)
    checkout = session(sandbox, secret_key, body)
    text = "NOPE" if "no such" in words else "REAL"
    shown = requests.get(checkout["url"] + f"?promotion-code={text}&locale=en", timeout=10)
    assert shown.status_code in (404, 409) and words in shown.text
    assert 'name="promotion_code"' not in shown.text  # the refused code does not travel with the payment
    assert pay(checkout["url"]).status_code == 303  # without a code the shopper pays the full amount
    assert ok(sandbox, secret_key, "GET", f"/orders/{checkout['order']['id']}")["amount"] == ORDER_TOTAL


def test_limits_minimum_first_purchase_one_per_customer_and_a_discount_larger_than_the_order(
        sandbox, secret_key, body):
    def shown(promo_text, email="shopper+test@example.com"):
        checkout = session(sandbox, secret_key, {**body, "customerInfo": {**body["customerInfo"],
                                                                           "emailAddress": email}})
        return checkout, requests.get(checkout["url"] + f"?promotion-code={promo_text}&locale=en", timeout=10)

    once = coupon(sandbox, secret_key, maxRedemptionCount=1)
    code(sandbox, secret_key, once["id"], text="ONCE")
    checkout, page = shown("ONCE")
    assert page.status_code == 200 and "−¥100" in page.text
    pay(checkout["url"] + "?promotion-code=ONCE")
    assert "used as many times as it may be" in shown("ONCE")[1].text

    code(sandbox, secret_key, coupon(sandbox, secret_key)["id"], text="BIG", minimumAmount=5000, currency="JPY")
    assert "at least ¥5,000" in shown("BIG")[1].text
    code(sandbox, secret_key, coupon(sandbox, secret_key)["id"], text="FIRST", firstTimeTransaction=True)
    assert "first purchase only" in shown("FIRST")[1].text  # shopper+test@ bought with ONCE above
    assert shown("FIRST", email="new+test@example.com")[1].status_code == 200
    code(sandbox, secret_key, once["id"], text="MINE", onePerCustomer=True)  # the used-up coupon: refused anyway
    code(sandbox, secret_key, coupon(sandbox, secret_key)["id"], text="MYONE", onePerCustomer=True)
    checkout, _page = shown("MYONE", email="repeat+test@example.com")
    pay(checkout["url"] + "?promotion-code=MYONE", email="repeat+test@example.com")
    assert "already used this promotion code" in shown("MYONE", email="repeat+test@example.com")[1].text
    code(sandbox, secret_key, coupon(sandbox, secret_key, discountAmount=ORDER_TOTAL)["id"], text="ALL")
    assert "cannot be used on this order" in shown("ALL")[1].text


def test_an_expired_code_is_refused(sandbox, secret_key, body):
    in_a_minute = int(time.time() * 1000) + 60_000
    code(sandbox, secret_key, coupon(sandbox, secret_key)["id"], text="BRIEF", expiresAt=in_a_minute)
    moved = requests.put(sandbox.base_url + "/sandbox/clock", json={"offsetSeconds": 120}, timeout=10,
                         headers={"Authorization": f"Basic {secret_key}"})  # two minutes on, for this account
    assert moved.status_code == 200, moved.text
    checkout = session(sandbox, secret_key, body)
    page = requests.get(checkout["url"] + "?promotion-code=BRIEF&locale=ja", timeout=10)
    assert page.status_code == 409 and "有効期限" in page.text


# --- test-mode authorization without a browser (contract §7.1), with and without a code -----------------


def authorize(sandbox, token, order_id, **body):
    return requests.post(f"{sandbox.api_url}/orders/{order_id}/authorizations", timeout=10,
                         headers={"Authorization": f"Bearer {token}"},
                         json={"paymentMethod": "pm_test_visaApproved", "paymentPlan": "pay_in_three", **body})


def test_a_test_consumer_authorizes_an_order_without_a_browser(sandbox, secret_key, body):
    token = consumer_token(sandbox)
    checkout = session(sandbox, secret_key, {**body, "captureMethod": "manual"})
    order_id = checkout["order"]["id"]
    answer = authorize(sandbox, token, order_id)
    assert answer.status_code == 200 and answer.json()["status"] == "requires_capture"
    refused(authorize(sandbox, token, order_id), 409, "order.cannot-authorize")
    capture = {"order": order_id, "amount": 150, "currency": "JPY", "cancelRemainder": "manual"}
    assert ok(sandbox, secret_key, "POST", "/payments", json=capture)["amount"] == 150


def test_the_authorization_refuses_a_bad_login_body_method_or_code_in_the_error_shape(sandbox, secret_key, body):
    refused(requests.post(sandbox.api_url + "/consumers/auth/login", json={"emailAddress": ""}, timeout=10),
            400, "request.invalid", "emailAddress", "password")
    order_id = session(sandbox, secret_key, body)["order"]["id"]
    refused(authorize(sandbox, "not-a-token", order_id), 401, "unauthorized")
    token = consumer_token(sandbox)
    refused(authorize(sandbox, token, order_id, paymentMethod="pm_test_mastercard"), 400, "request.invalid",
            "paymentMethod")
    refused(authorize(sandbox, token, order_id, promotionCode="NOSUCH"), 404, "promotion-code.not-found")
    code(sandbox, secret_key, coupon(sandbox, secret_key, discountAmount=ORDER_TOTAL)["id"], text="TOOBIG")
    refused(authorize(sandbox, token, order_id, promotionCode="toobig"), 409, "promotion-code.discount-too-large")
    refused(authorize(sandbox, token, "order_test_nope"), 404, "order.not-found")
    assert ok(sandbox, secret_key, "GET", f"/orders/{order_id}")["status"] == "requires_authorization"
    refused(authorize(sandbox, token, order_id, paymentMethod="pm_test_visaDeclined"), 402, "payment.declined")
    assert ok(sandbox, secret_key, "GET", f"/orders/{order_id}")["status"] == "rejected"


def test_an_authorization_with_a_code_discounts_the_order(sandbox, secret_key, body):
    code(sandbox, secret_key, coupon(sandbox, secret_key, discountType="percentage", discountAmount=None,
                                     currency=None, discountPercentage=50)["id"], text="HALF")
    order_id = session(sandbox, secret_key, body)["order"]["id"]
    authorized = authorize(sandbox, consumer_token(sandbox), order_id, promotionCode="HALF").json()
    assert (authorized["amount"], authorized["discountAmount"], authorized["status"]) == (301, 300, "succeeded")


def test_a_code_as_smartpays_own_suites_make_them_is_taken_and_applied(sandbox, secret_key, body):
    """THECODE1796479516.123: letters, digits and a dot, as the SDKs' live suites create codes at Smartpay."""
    made = coupon(sandbox, secret_key)
    promo = code(sandbox, secret_key, made["id"], text="THECODE1796479516.123")
    assert promo["code"] == "THECODE1796479516.123"
    checkout = session(sandbox, secret_key, body)
    assert pay(checkout["url"] + "?promotion-code=THECODE1796479516.123").status_code == 303
    order = ok(sandbox, secret_key, "GET", f"/orders/{checkout['order']['id']}")
    assert order["discountAmount"] > 0 and order["discounts"][0]["promotionCode"] == promo["id"]
