"""What the contract suite's tests share: the body of a checkout session, and what every refusal carries (§4)."""
import secrets

ERROR_FIELDS = {"statusCode", "errorCode", "message", "details"}


def session_body(**changes) -> dict:
    """The flat body of contract §2.1, adding up exactly: 2 × 1,000 + shipping 500 = 2,500."""
    nonce = secrets.token_hex(4)
    return {"amount": 2500, "currency": "JPY",
            "items": [{"name": "Contract tea", "amount": 1000, "currency": "JPY", "quantity": 2}],
            "shippingInfo": {"address": {"line1": "1-2-3", "locality": "目黒区", "administrativeArea": "東京都",
                                         "postalCode": "153-0063", "country": "JP"},
                             "feeAmount": 500, "feeCurrency": "JPY"},
            "customerInfo": {"emailAddress": "contract+test@example.com", "firstName": "Taro", "lastName": "Yamada"},
            "reference": f"contract-{nonce}", "successUrl": f"https://shop.example/ok/{nonce}",
            "cancelUrl": f"https://shop.example/cancel/{nonce}", **changes}
