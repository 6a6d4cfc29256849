"""The checkout-session body Smartpay expects (the flat `items` form), built only from our own order record.

Built from the saved order, never from the request: the same order always gives the same body, so a
retry with the same Idempotency-Key is recognised by Smartpay as the same request.
"""
from urllib.parse import urlencode

from flask import current_app, url_for
from flask_babel import force_locale, gettext as _

from ..models import Order


def absolute(path: str) -> str:
    return current_app.config["PUBLIC_URL"] + path


def checkout_session_payload(order: Order) -> dict:
    with force_locale(order.locale):  # Smartpay shows the description on its page, in the shopper's language
        description = _("Hinoki Market order %(number)s", number=order.number)
    return {
        "amount": order.total,  # Smartpay checks nothing we can rely on: we make sure it adds up ourselves
        "currency": order.currency,
        "captureMethod": order.capture_method,
        "items": [product_item(line) for line in order.lines],
        "shippingInfo": {"address": address(order), "feeAmount": order.shipping_fee, "feeCurrency": order.currency},
        "customerInfo": customer(order),
        "reference": order.number,
        "description": description,
        "successUrl": absolute(url_for("smartpay_checkout.complete", public_id=order.public_id)),
        "cancelUrl": absolute(url_for("smartpay_checkout.cancelled", public_id=order.public_id)),
        "locale": order.locale,  # the hosted page speaks the language the shopper chose in the shop
        "metadata": tax_metadata(order),
    }


def product_item(line) -> dict:
    item = {**plain_item(line), "images": [absolute(url_for("static", filename=line.image))]}
    if line.product is not None:
        item["url"] = absolute(url_for("shop.product", slug=line.product.slug))
    return item


def plain_item(line) -> dict:
    return {"kind": "product", "name": line.name, "amount": line.unit_price, "currency": "JPY",
            "quantity": line.quantity, "reference": line.sku, "metadata": {"taxRate": str(line.tax_rate)}}


def tax_metadata(order: Order) -> dict:
    """The consumption tax by rate (storefront/tax.py), as the order's metadata: `tax8Amount` is what the 8 % rate
    covers, tax included, `tax8` the tax within it. Prices are tax included, so the tax is not a `kind: tax` item
    (those add to the amount): the body still adds up, and Smartpay's order carries the same breakdown as the
    shop's receipt. Shipping is at the standard rate, inside `tax10Amount`."""
    metadata = {}
    for part in order.tax_parts:
        metadata[f"tax{part.rate}Amount"], metadata[f"tax{part.rate}"] = str(part.amount), str(part.tax)
    return metadata


def token_order_payload(order: Order, token_id: str) -> dict:
    """POST /orders {token}: the same order charged without a page (定期便). Built by the worker, which has no
    request to build links from, so the items carry no images or product pages."""
    return {"token": token_id, "amount": order.total, "currency": order.currency, "captureMethod": "automatic",
            "items": [plain_item(line) for line in order.lines],
            "shippingInfo": {"address": address(order), "feeAmount": order.shipping_fee, "feeCurrency": order.currency},
            "customerInfo": customer(order), "reference": order.number, "metadata": tax_metadata(order)}


def address(order: Order) -> dict:
    lines = {"line1": order.address_line1, "locality": order.city, "administrativeArea": order.prefecture,
             "postalCode": order.postal_code, "country": "JP"}
    if order.address_line2:
        lines["line2"] = order.address_line2
    return lines


def customer(order: Order) -> dict:
    info = {"emailAddress": order.email, "lastName": order.family_name, "firstName": order.given_name,
            "phoneNumber": "+81" + order.phone[1:],  # E.164: drop the trunk 0
            "address": address(order)}
    if order.family_name_kana:
        info["lastNameKana"] = order.family_name_kana
    if order.given_name_kana:
        info["firstNameKana"] = order.given_name_kana
    return info


def expected_total(payload: dict) -> int:
    """What the items and fee add up to; the order total must equal it, to the yen."""
    return sum(item["amount"] * item["quantity"] for item in payload["items"]) + payload["shippingInfo"]["feeAmount"]


def hosted_page_url(url: str, promotion_code: str) -> str:
    """The session's page, with the shopper's code as its `promotion-code` parameter, encoded: never pasted."""
    if not promotion_code:
        return url
    return url + ("&" if "?" in url else "?") + urlencode({"promotion-code": promotion_code})
