import copy

import pytest

from sandbox import create_app

FLAT_BODY = {
    "amount": 601, "currency": "JPY",
    "items": [{"name": "ice cream", "amount": 1000, "currency": "JPY", "quantity": 1},
              {"kind": "discount", "name": "Merchant discount", "amount": 500, "currency": "JPY"},
              {"kind": "tax", "name": "explicit taxes", "amount": 100, "currency": "JPY"}],
    "customerInfo": {"emailAddress": "john+test@example.com", "firstName": "John", "lastName": "Doe"},
    "shippingInfo": {"address": {"line1": "1-2-3", "locality": "世田谷区", "postalCode": "155-0031", "country": "JP"},
                     "feeAmount": 1, "feeCurrency": "JPY"},
    "reference": "order_42", "successUrl": "https://shop.example/success/42",
    "cancelUrl": "https://shop.example/cancel/42",
}


@pytest.fixture
def body():
    """The contract's example body (§2.1): product 1000 − discount 500 + tax 100 + shipping 1 = 601."""
    return copy.deepcopy(FLAT_BODY)


@pytest.fixture
def sandbox_app(tmp_path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'sandbox.sqlite3'}",
                       "PUBLIC_URL": "http://sandbox.test"})


@pytest.fixture
def api_client(sandbox_app):
    client = sandbox_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Basic sk_test_unit"
    return client
