"""Smartpay's official Python SDK (0.5.0, in its own venv) on the sandbox: session, order, capture, refund."""
import pytest

from tests.support.sandbox import pay

pytestmark = pytest.mark.live


def test_session_order_capture_and_refund(python_sdk):
    created = python_sdk("createSession", captureMethod="manual")
    assert "error" not in created, created  # the SDK sends null for every field it knows: the sandbox accepts it
    session = created["result"]
    assert session["order"]["amount"] == 12100
    assert pay(session["url"]).status_code == 303

    order = python_sdk("getOrder", id=session["order"]["id"])["result"]
    assert order["status"] == "requires_capture" and order["reference"] == "sdk-python-order"

    payment = python_sdk("capture", order=order["id"], amount=12100)["result"]
    assert payment["status"] == "processed" and payment["amount"] == 12100
    assert python_sdk("getOrder", id=order["id"])["result"]["status"] == "succeeded"

    refund = python_sdk("refund", payment=payment["id"], amount=2100)["result"]
    assert refund["status"] == "succeeded" and refund["amount"] == 2100
    refused = python_sdk("refund", payment=payment["id"], amount=10001)["error"]
    assert refused.startswith("403:") and '"amount.insufficient"' in refused
