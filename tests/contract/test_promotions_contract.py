"""Coupons and promotion codes (contract §7), for the sandbox and for real test mode alike: created, read,
listed, updated; malformed bodies refused in the error shape (§4); codes unique regardless of case. How a code
discounts an order needs an authorized order (the hosted page's test cards), so that test is sandbox-only."""
import re
import secrets

import pytest

from tests.support.contract import ERROR_FIELDS, session_body
from tests.support.sandbox import pay

pytestmark = pytest.mark.live


def a_coupon(contract, **changes) -> dict:
    return contract.ok("POST", "/coupons", json={"name": "Contract coupon", "discountType": "amount",
                                                 "discountAmount": 300, "currency": "JPY", **changes})


def unique_code() -> str:
    return "CONTRACT" + secrets.token_hex(4).upper()  # real test mode keeps every code a run ever made


def a_4xx_in_the_error_shape(answer) -> dict:
    body = answer.json()
    assert 400 <= answer.status_code < 500 and ERROR_FIELDS <= set(body), f"{answer.status_code} {body}"
    return body


def test_a_coupon_is_created_read_listed_and_updated(contract):
    coupon = a_coupon(contract, metadata={"campaign": "contract"})
    assert re.fullmatch(r"coupon_test_[0-9A-Za-z]+", coupon["id"]) and coupon["object"] == "coupon"
    assert (coupon["discountType"], coupon["discountAmount"], coupon["currency"].upper(), coupon["active"]) == (
        "amount", 300, "JPY", True)
    assert coupon["redemptionCount"] == 0
    assert contract.ok("GET", f"/coupons/{coupon['id']}")["name"] == "Contract coupon"
    assert coupon["id"] in [c["id"] for c in contract.ok("GET", "/coupons", params={"maxResults": 100})["data"]]
    updated = contract.ok("PATCH", f"/coupons/{coupon['id']}", json={"active": False, "metadata": {"a": "b"}})
    assert updated["active"] is False and updated["metadata"] == {"a": "b"}


def test_a_percentage_coupon_has_no_amount(contract):
    coupon = contract.ok("POST", "/coupons", json={"name": "Ten percent", "discountType": "percentage",
                                                   "discountPercentage": 10})
    assert coupon["discountPercentage"] == 10 and not coupon.get("discountAmount")


def test_a_promotion_code_is_created_read_listed_and_updated(contract):
    coupon = a_coupon(contract)
    text = unique_code()
    code = contract.ok("POST", "/promotion-codes", json={"coupon": coupon["id"], "code": text,
                                                         "maxRedemptionCount": 10, "onePerCustomer": True})
    assert re.fullmatch(r"promotioncode_test_[0-9A-Za-z]+", code["id"]) and code["object"] == "promotionCode"
    assert (code["code"], code["coupon"], code["active"], code["onePerCustomer"]) == (text, coupon["id"], True, True)
    assert contract.ok("GET", f"/promotion-codes/{code['id']}")["code"] == text
    listed = contract.ok("GET", "/promotion-codes", params={"maxResults": 100})["data"]
    assert code["id"] in [c["id"] for c in listed]
    assert contract.ok("PATCH", f"/promotion-codes/{code['id']}", json={"active": False})["active"] is False


def test_a_code_is_unique_regardless_of_case(contract):
    coupon = a_coupon(contract)
    text = unique_code()
    contract.ok("POST", "/promotion-codes", json={"coupon": coupon["id"], "code": text})
    a_4xx_in_the_error_shape(contract.call("POST", "/promotion-codes", json={"coupon": coupon["id"],
                                                                             "code": text.lower()}))


@pytest.mark.parametrize("body", [
    {"discountType": "amount", "discountAmount": 100, "currency": "JPY"},                  # no name
    {"name": "x", "discountType": "amount", "discountAmount": -100, "currency": "JPY"},    # negative
    {"name": "x", "discountType": "percentage", "discountPercentage": 150},                # over 100 %
    {"name": "x", "discountType": "amount", "discountAmount": 100},                        # no currency
])
def test_a_malformed_coupon_is_refused_in_the_error_shape(contract, body):
    a_4xx_in_the_error_shape(contract.call("POST", "/coupons", json=body))


def test_an_unknown_coupon_or_code_is_404(contract):
    assert contract.call("GET", "/coupons/coupon_test_doesnotexist000000000").status_code == 404
    assert contract.call("GET", "/promotion-codes/promotioncode_test_doesnotexist0000").status_code == 404


@pytest.mark.sandbox_only
def test_a_code_on_the_hosted_page_discounts_the_order_and_its_payment(contract):
    coupon = a_coupon(contract)
    text = unique_code()
    code = contract.ok("POST", "/promotion-codes", json={"coupon": coupon["id"], "code": text})
    session = contract.ok("POST", "/checkout-sessions", json=session_body())
    assert pay(session["url"] + f"?promotion-code={text}").status_code == 303
    order = contract.ok("GET", f"/orders/{session['order']['id']}", params={"expand": "all"})
    assert (order["amount"], order["discountAmount"]) == (2500 - 300, 300)
    assert order["discounts"][0]["promotionCode"] == code["id"] and order["payments"][0]["amount"] == 2200
    assert contract.ok("GET", f"/promotion-codes/{code['id']}")["redemptionCount"] == 1
