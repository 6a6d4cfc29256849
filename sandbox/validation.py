"""Request checks that name every bad field, like a strict payment API.

`null` counts as absent everywhere: the Python SDK sends null for every optional field it knows.
"""
from urllib.parse import urlparse

from .errors import invalid

EVENT_TYPES = {
    "order.authorized", "order.rejected", "order.canceled", "payment.created", "refund.created",
    "payout.generated", "payout.paid", "coupon.created", "coupon.updated", "promotion_code.created",
    "promotion_code.updated", "merchant_user.created", "merchant_user.password_reset", "token.created",
    "token.approved", "token.rejected", "token.deleted", "token.disabled", "token.enabled", "token.used",
}
MAX_AMOUNT = 2**32 - 1  # the SDKs check uint32


class Checker:
    """Collects one message per bad field, then raises them all at once."""

    def __init__(self):
        self.details: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.details.append(f"{path} {message}")

    def done(self) -> None:
        if self.details:
            raise invalid(self.details)

    def obj(self, data, path: str, required: bool = True) -> dict | None:
        if data is None:
            if required:
                self.fail(path, "is required")
            return None
        if not isinstance(data, dict):
            self.fail(path, "must be an object")
            return None
        return data

    def string(self, data: dict, key: str, path: str, required=False, max_length=255, choices=None):
        value = data.get(key)
        if value is None:
            if required:
                self.fail(path, "is required")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(path, "must be a non-empty string" if required else "must be a string")
            return None
        if len(value) > max_length:
            self.fail(path, f"must be at most {max_length} characters")
        if choices and value not in choices:
            self.fail(path, "must be one of " + ", ".join(sorted(choices)))
            return None
        return value

    def integer(self, data: dict, key: str, path: str, required=False, minimum=0, default=None):
        value = data.get(key)
        if value is None:
            if required:
                self.fail(path, "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_AMOUNT:
            self.fail(path, f"must be an integer >= {minimum}")
            return default
        return value

    def currency(self, data: dict, key: str, path: str, required=True):
        value = self.string(data, key, path, required=required, max_length=3)
        if value is not None and value.upper() != "JPY":
            self.fail(path, "must be JPY, the only currency Smartpay supports")
        return "JPY"

    def url(self, data: dict, key: str, path: str, required=False):
        value = self.string(data, key, path, required=required, max_length=2048)
        if value is not None and (urlparse(value).scheme not in ("http", "https") or not urlparse(value).netloc):
            self.fail(path, "must be an absolute http(s) URL")
        return value

    def metadata(self, data: dict, path: str = "metadata") -> dict:
        value = data.get("metadata")
        if value is None:
            return {}
        if not isinstance(value, dict) or len(value) > 20:
            self.fail(path, "must be an object of at most 20 keys")
            return {}
        return value


def checkout_session(body) -> dict:
    """Check a flat checkout-session body and return it normalised (currency upper case, defaults filled)."""
    check = Checker()
    body = check.obj(body, "body") or {}
    if body.get("mode") is not None:
        check.fail("mode", "must be token, or absent for a purchase")
    check.currency(body, "currency", "currency")
    amount = check.integer(body, "amount", "amount", required=True)
    items = checked_items(check, body.get("items"))
    shipping = checked_shipping(check, body.get("shippingInfo"))
    customer = check.obj(body.get("customerInfo"), "customerInfo") or {}
    check.url(body, "successUrl", "successUrl", required=True)
    check.url(body, "cancelUrl", "cancelUrl", required=True)
    capture = check.string(body, "captureMethod", "captureMethod", choices={"automatic", "manual"}) or "automatic"
    check.string(body, "reference", "reference", max_length=40)
    check.string(body, "description", "description", max_length=80)
    check.string(body, "locale", "locale", choices={"en", "ja"})
    check.metadata(body)
    if not check.details and amount != expected_amount(items, shipping):
        check.fail("amount", f"must equal the items and shipping fee it pays for ({expected_amount(items, shipping)}),"
                             f" got {amount}")
    check.done()
    return {**body, "currency": "JPY", "captureMethod": capture, "customerInfo": customer,
            "items": items, "shippingInfo": shipping}


def token_session(body) -> dict:
    """A token-mode session (contract §7): the shopper's consent, no items, no amount."""
    check = Checker()
    body = check.obj(body, "body") or {}
    customer = check.obj(body.get("customerInfo"), "customerInfo") or {}
    check.url(body, "successUrl", "successUrl", required=True)
    check.url(body, "cancelUrl", "cancelUrl", required=True)
    check.string(body, "reference", "reference", max_length=40)
    check.string(body, "description", "description", max_length=200)
    check.string(body, "locale", "locale", choices={"en", "ja"})
    check.metadata(body)
    check.done()
    return {**body, "customerInfo": customer}


def token_order(body) -> dict:
    """POST /orders {token, …}: the order body of a purchase, charged to a token instead of a page."""
    check = Checker()
    body = check.obj(body, "body") or {}
    check.string(body, "token", "token", required=True, max_length=60)
    check.currency(body, "currency", "currency")
    amount = check.integer(body, "amount", "amount", required=True, minimum=1)
    items = checked_items(check, body.get("items"))
    shipping = checked_shipping(check, body.get("shippingInfo"))
    check.obj(body.get("customerInfo"), "customerInfo", required=False)
    capture = check.string(body, "captureMethod", "captureMethod", choices={"automatic", "manual"}) or "automatic"
    check.string(body, "reference", "reference", max_length=40)
    check.string(body, "description", "description", max_length=80)
    check.metadata(body)
    if not check.details and amount != expected_amount(items, shipping):
        check.fail("amount", f"must equal the items and shipping fee it pays for ({expected_amount(items, shipping)}),"
                             f" got {amount}")
    check.done()
    return {**body, "currency": "JPY", "captureMethod": capture, "items": items, "shippingInfo": shipping}


def checked_items(check: Checker, items) -> list[dict]:
    if items is None:
        check.fail("items", "is required")
        return []
    if not isinstance(items, list) or not 1 <= len(items) <= 50:
        check.fail("items", "must be a list of 1 to 50 items")
        return []
    clean = []
    for index, item in enumerate(items):
        path = f"items[{index}]"
        item = check.obj(item, path)
        if item is None:
            continue
        kind = check.string(item, "kind", f"{path}.kind", choices={"product", "tax", "discount"}) or "product"
        check.string(item, "name", f"{path}.name", required=True)
        amount = check.integer(item, "amount", f"{path}.amount", required=True)
        minimum = 1 if kind == "product" else 0
        quantity = check.integer(item, "quantity", f"{path}.quantity", minimum=minimum, default=1)
        check.currency(item, "currency", f"{path}.currency", required=False)
        images = item.get("images")
        if images is not None and (not isinstance(images, list) or len(images) > 8
                                   or not all(isinstance(image, str) for image in images)):
            check.fail(f"{path}.images", "must be a list of at most 8 URLs")
        for key in ("url", "reference", "brand", "gtin", "label", "description"):
            check.string(item, key, f"{path}.{key}", max_length=2048)
        clean.append({**item, "kind": kind, "amount": amount, "quantity": quantity, "currency": "JPY"})
    if clean and not any(item["kind"] == "product" for item in clean):
        check.fail("items", "must contain at least one product")
    return clean


def checked_shipping(check: Checker, shipping) -> dict:
    shipping = check.obj(shipping, "shippingInfo") or {}
    address = check.obj(shipping.get("address"), "shippingInfo.address") if shipping else None
    if address is not None:
        check.string(address, "line1", "shippingInfo.address.line1", required=True)
        check.string(address, "locality", "shippingInfo.address.locality", required=True, max_length=80)
        check.string(address, "postalCode", "shippingInfo.address.postalCode", required=True, max_length=20)
        country = check.string(address, "country", "shippingInfo.address.country", required=True, max_length=2)
        if country is not None and country.upper() != "JP":
            check.fail("shippingInfo.address.country", "must be JP")
    fee = check.integer(shipping, "feeAmount", "shippingInfo.feeAmount", default=0)
    check.currency(shipping, "feeCurrency", "shippingInfo.feeCurrency", required=False)
    return {**shipping, "feeAmount": fee, "feeCurrency": "JPY"} if shipping else {}


def expected_amount(items: list[dict], shipping: dict) -> int:
    sign = {"product": 1, "tax": 1, "discount": -1}
    total = sum(sign[item["kind"]] * item["amount"] * item["quantity"] for item in items)
    return total + (shipping.get("feeAmount") or 0)


def payment(body) -> dict:
    check = Checker()
    body = check.obj(body, "body") or {}
    check.string(body, "order", "order", required=True)
    check.integer(body, "amount", "amount", required=True, minimum=1)
    check.currency(body, "currency", "currency")
    remainder = check.string(body, "cancelRemainder", "cancelRemainder", choices={"automatic", "manual"})
    check.string(body, "reference", "reference")
    check.string(body, "description", "description")
    check.metadata(body)
    check.done()
    return {**body, "cancelRemainder": remainder or "automatic"}


def refund(body) -> dict:
    check = Checker()
    body = check.obj(body, "body") or {}
    check.string(body, "payment", "payment", required=True)
    check.integer(body, "amount", "amount", minimum=1)
    check.currency(body, "currency", "currency")
    check.string(body, "reason", "reason", required=True, choices={"requested_by_customer", "fraudulent"})
    check.string(body, "reference", "reference")
    check.string(body, "description", "description")
    check.metadata(body)
    check.done()
    return body


def annotations(body) -> dict:
    """PATCH of a payment or refund: only reference, description and metadata may change."""
    check = Checker()
    body = check.obj(body, "body") or {}
    check.string(body, "reference", "reference")
    check.string(body, "description", "description")
    check.metadata(body)
    check.done()
    return {key: body[key] for key in ("reference", "description", "metadata") if body.get(key) is not None}


def webhook_endpoint(body, creating: bool) -> dict:
    check = Checker()
    body = check.obj(body, "body") or {}
    check.url(body, "url", "url", required=creating)
    check.string(body, "description", "description")
    subscriptions = body.get("eventSubscriptions")
    if subscriptions is not None:
        if not isinstance(subscriptions, list):
            check.fail("eventSubscriptions", "must be a list of event types")
        else:
            for index, name in enumerate(subscriptions):
                if name not in EVENT_TYPES:
                    check.fail(f"eventSubscriptions[{index}]", f"is not a known event type: {name!r}")
    if body.get("active") is not None and not isinstance(body.get("active"), bool):
        check.fail("active", "must be true or false")
    check.metadata(body)
    check.done()
    return body
