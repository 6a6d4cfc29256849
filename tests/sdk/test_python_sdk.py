"""Smartpay's official Python SDK (0.5.0, in its own venv) on the sandbox: session, order, capture, refund."""
import pytest

from tests.sdk.answers import error, result
from tests.support.sandbox import pay

pytestmark = pytest.mark.live


def test_session_order_capture_and_refund(python_sdk):
    session = result(python_sdk("createSession", captureMethod="manual"))  # the SDK sends nulls: accepted
    assert session["order"]["amount"] == 12100
    assert pay(session["url"]).status_code == 303

    order = result(python_sdk("getOrder", id=session["order"]["id"]))
    assert order["status"] == "requires_capture" and order["reference"] == "sdk-python-order"

    payment = result(python_sdk("capture", order=order["id"], amount=12100))
    assert payment["status"] == "processed" and payment["amount"] == 12100
    assert result(python_sdk("getOrder", id=order["id"]))["status"] == "succeeded"

    refund = result(python_sdk("refund", payment=payment["id"], amount=2100))
    assert refund["status"] == "succeeded" and refund["amount"] == 2100
    refused = error(python_sdk("refund", payment=payment["id"], amount=10001))
    assert refused.startswith("403:") and '"amount.insufficient"' in refused
