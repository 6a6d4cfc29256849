"""Drive Smartpay's official Python SDK (0.5.0) against the sandbox; run with .venv-sdk/bin/python.

    python_sdk_driver.py <step> '<json args>'   → prints one JSON document: {"result": …} or {"error": "…"}
"""
import json
import os
import sys

from smartpay import Smartpay

smartpay = Smartpay(os.environ["SMARTPAY_SECRET_KEY"], api_prefix=os.environ["SMARTPAY_API_PREFIX"])


def create_session(args):
    return smartpay.create_checkout_session({
        "currency": "JPY",
        "captureMethod": args.get("captureMethod"),
        "items": [{"name": "Seki Santoku Knife", "amount": 12100, "quantity": 1, "currency": "JPY"}],
        "customerInfo": {"emailAddress": "hanako+test@example.com", "firstName": "Hanako", "lastName": "Sato"},
        "shippingInfo": {"address": {"line1": "4-5-6 Shibuya", "locality": "渋谷区", "postalCode": "150-0002",
                                     "country": "JP"}, "feeAmount": 0, "feeCurrency": "JPY"},
        "reference": "sdk-python-order",
        "successUrl": "https://shop.example/success",
        "cancelUrl": "https://shop.example/cancel",
    })


STEPS = {
    "createSession": create_session,
    "getOrder": lambda args: smartpay.get_order(id=args["id"], expand="all"),
    "capture": lambda args: smartpay.capture(order=args["order"], amount=args["amount"], currency="JPY"),
    "refund": lambda args: smartpay.refund(payment=args["payment"], amount=args["amount"], currency="JPY",
                                           reason="requested_by_customer"),
}

if __name__ == "__main__":
    step, raw = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "{}"
    try:
        print(json.dumps({"result": STEPS[step](json.loads(raw))}))
    except Exception as error:  # the SDK raises a bare Exception('<status>: <body>')
        print(json.dumps({"error": str(error)}))
