"""Smartpay's official Node SDK (@smartpay/sdk-node 0.9.1) drives whole life cycles on the sandbox."""
import json

import pytest

from tests.sdk.answers import error, result
from tests.support.sandbox import api, pay
from tests.support.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.live


def paid_session(node_sdk, card="4242 4242 4242 4242", **options):
    session = result(node_sdk("createSession", **options))
    pay(session["url"], card=card)
    return session


def test_session_from_the_sdks_loose_payload_read_back_with_and_without_expand(node_sdk):
    session = result(node_sdk("createSession"))
    assert session["order"]["amount"] == 2 * 3240 + 990 + 500  # computed by the SDK, checked by the sandbox
    read = result(node_sdk("getSession", id=session["id"]))
    assert read["plain"]["order"] == session["order"]["id"]
    assert read["expanded"]["order"]["lineItems"][0]["price"]["product"]["name"] == "Uji Matcha 30 g"


def test_approve_refund_part_refund_the_rest_and_be_refused_more(node_sdk):
    session = paid_session(node_sdk)
    order = result(node_sdk("getOrder", id=session["order"]["id"]))
    assert order["status"] == "succeeded"
    payment = order["payments"][0]
    assert payment["amount"] == 7970 and payment["status"] == "processed"
    assert result(node_sdk("refund", payment=payment["id"], amount=970))["status"] == "succeeded"
    assert result(node_sdk("refund", payment=payment["id"], amount=7000))["amount"] == 7000
    refused = error(node_sdk("refund", payment=payment["id"], amount=1))
    assert refused["statusCode"] == 403 and refused["errorCode"] == "amount.insufficient"


def test_manual_capture_in_two_parts(node_sdk):
    session = paid_session(node_sdk, captureMethod="manual")
    order_id = session["order"]["id"]
    assert result(node_sdk("getOrder", id=order_id))["status"] == "requires_capture"
    result(node_sdk("capture", order=order_id, amount=4000))
    result(node_sdk("capture", order=order_id, amount=3970))
    order = result(node_sdk("getOrder", id=order_id))
    assert order["status"] == "succeeded" and [p["amount"] for p in order["payments"]] == [4000, 3970]


def test_cancellation(node_sdk):
    session = paid_session(node_sdk, captureMethod="manual")
    assert result(node_sdk("cancel", id=session["order"]["id"]))["status"] == "canceled"


def test_hard_decline(node_sdk):
    session = paid_session(node_sdk, card="4100 0000 0000 0019")
    assert result(node_sdk("getOrder", id=session["order"]["id"]))["status"] == "rejected"


def test_soft_decline_then_approval(node_sdk):
    session = paid_session(node_sdk, card="4000 0000 0000 0002")
    assert result(node_sdk("getOrder", id=session["order"]["id"]))["status"] == "requires_authorization"
    pay(session["url"])
    assert result(node_sdk("getOrder", id=session["order"]["id"]))["status"] == "succeeded"


def test_webhook_endpoint_create_list_update_delete(node_sdk):
    steps = result(node_sdk("webhookEndpoints", url="https://shop.example/webhooks/smartpay"))
    assert steps["created"]["id"] in [e["id"] for e in steps["listed"]["data"]]
    assert steps["updated"]["active"] is False and steps["fetched"]["eventSubscriptions"] == ["payment.created"]
    assert steps["after"]["data"] == []


def test_the_sdks_verifier_accepts_every_delivery(node_sdk, sandbox, secret_key, tmp_path):
    receiver = WebhookReceiver(fail_first=1)  # retries too: each attempt is signed afresh
    try:
        endpoint = api(sandbox, secret_key, "POST", "/webhook-endpoints", json={"url": receiver.url}).json()
        session = paid_session(node_sdk)
        paid_session(node_sdk, card="4100 0000 0000 0019")
        order = result(node_sdk("getOrder", id=session["order"]["id"]))
        result(node_sdk("refund", payment=order["payments"][0]["id"], amount=100))
        deliveries = receiver.wait_for(lambda ds: len({d.headers["Smartpay-Event-Id"] for d in ds}) >= 4 and len(ds) >= 8)
        recorded = [{"timestamp": d.headers["Smartpay-Signature-Timestamp"], "signature": d.headers["Smartpay-Signature"],
                     "body": d.body.decode()} for d in deliveries]
        (tmp_path / "deliveries.json").write_text(json.dumps(recorded))
        verdicts = result(node_sdk("verify", file=str(tmp_path / "deliveries.json"), secret=endpoint["signingSecret"]))
        assert verdicts == [True] * len(recorded)
        types = {json.loads(d.body)["eventData"]["type"] for d in deliveries}
        assert {"order.authorized", "payment.created", "order.rejected", "refund.created"} <= types
    finally:
        receiver.close()


def test_coupons_and_promotion_codes_through_the_sdk_then_a_discounted_purchase(node_sdk):
    made = result(node_sdk("promotions", code="AUTUMN500"))
    assert made["coupon"]["id"].startswith("coupon_test_") and made["code"]["id"].startswith("promotioncode_test_")
    assert made["fetchedCoupon"]["discountAmount"] == 500 and made["percent"]["discountPercentage"] == 10
    assert (made["updatedCoupon"]["active"], made["updatedCoupon"]["name"]) == (False, "Tenth (closed)")
    assert made["coupons"]["results"] == 2 and made["codes"]["data"][0]["code"] == "AUTUMN500"
    assert made["updatedCode"]["metadata"] == {"campaign": "autumn"}
    refused = error(node_sdk("duplicateCode", coupon=made["coupon"]["id"], code="autumn500"))
    assert (refused["statusCode"], refused["errorCode"]) == (409, "promotion-code.already-exists")

    session = result(node_sdk("createSessionWithCode", code="AUTUMN500"))
    assert session["url"].endswith("?promotion-code=AUTUMN500")
    pay(session["url"])
    order = result(node_sdk("getOrder", id=session["order"]["id"]))
    assert (order["amount"], order["discountAmount"]) == (2 * 3240 + 500 - 500, 500)
    assert order["payments"][0]["amount"] == order["amount"]
    assert order["discounts"][0]["promotionCode"] == made["code"]["id"]


def test_the_sdks_own_live_suite_flow_authorizes_captures_and_refunds_without_a_browser(node_sdk):
    done = result(node_sdk("liveSuiteFlow", username="consumer+test@example.com", password="test-password"))
    assert done["authorizationStatus"] == 200
    assert (done["payment1"]["amount"], done["payment2"]["amount"]) == (150, 151)
    assert done["order"]["status"] == "requires_capture" and len(done["order"]["payments"]) == 2
    assert done["refund1"]["amount"] == done["refund2"]["amount"] == 1


def test_token_mode_through_the_sdk_consent_charge_disable_enable_delete(node_sdk):
    done = result(node_sdk("tokens"))
    assert done["session"]["token"]["status"] == "requires_authorization" and done["approvalStatus"] == 200
    assert done["fetched"]["status"] == "active" and done["listed"]["data"][0]["id"] == done["fetched"]["id"]
    order = done["order"]
    assert (order["status"], order["amount"], order["tokenId"]) == ("succeeded", 1580, done["fetched"]["id"])
    assert (done["disabled"]["status"], done["enabled"]["status"]) == ("disabled", "active")
    assert done["afterDelete"] == {"statusCode": 404, "errorCode": "token.not-found"}
