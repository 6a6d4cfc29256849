"""A thin client for Smartpay's API, and the webhook signature check.

Smartpay's Python SDK is unmaintained on PyPI (0.6–0.8.1 ship without their main module), so the shop talks
to the API with `requests` directly: one function per endpoint it uses, one exception type for every failure.

Retrying writes is safe only because every write carries an Idempotency-Key derived from the shop's own
record (an order, a refund), never a random one: a retry of the same call can then never charge twice.
"""
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Callable

import requests

log = logging.getLogger(__name__)

RETRY_STATUSES = {500, 502, 503, 504}


class SmartpayError(Exception):
    """Any failure talking to Smartpay: a refusal (4xx), an outage (5xx) or no answer at all.

    `status_code` is None when no HTTP answer arrived (timeout, refused connection).
    """

    def __init__(self, status_code: int | None, error_code: str, message: str, details: list | None = None):
        super().__init__(f"{status_code or 'no answer'} {error_code}: {message}")
        self.status_code = status_code
        self.error_code = error_code
        self.message = message
        self.details = details or []

    @property
    def is_refusal(self) -> bool:
        """Smartpay understood and said no; retrying the same request will not help."""
        return self.status_code is not None and 400 <= self.status_code < 500


@dataclass
class CallRecord:
    """What one HTTP exchange looked like, handed to the API log (never the secret key)."""
    method: str
    path: str
    status_code: int | None
    duration_ms: int
    idempotency_key: str
    request_body: str
    response_body: str
    error: str = ""


@dataclass
class SmartpayClient:
    api_url: str
    secret_key: str
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.3
    on_call: Callable[[CallRecord], None] | None = None
    session: requests.Session = field(default_factory=requests.Session)

    # --- checkout -----------------------------------------------------------------------------
    def create_checkout_session(self, payload: dict, idempotency_key: str) -> dict:
        return self.request("POST", "/checkout-sessions", json_body=payload, idempotency_key=idempotency_key)

    def get_checkout_session(self, session_id: str, expand: bool = True) -> dict:
        return self.request("GET", f"/checkout-sessions/{session_id}", params=expand_param(expand))

    # --- order management ---------------------------------------------------------------------
    def get_order(self, order_id: str, expand: bool = True) -> dict:
        return self.request("GET", f"/orders/{order_id}", params=expand_param(expand))

    def list_orders(self, page_token: str | None = None, max_results: int = 100) -> dict:
        """Newest first, expanded: each order with its payments (and their refunds' ids)."""
        return self.request("GET", "/orders", params=page_params(page_token, max_results, expand=True))

    def cancel_order(self, order_id: str, idempotency_key: str) -> dict:
        return self.request("PUT", f"/orders/{order_id}/cancellation", idempotency_key=idempotency_key)

    def capture(self, order_id: str, amount: int, idempotency_key: str, cancel_remainder: str = "automatic") -> dict:
        body = {"order": order_id, "amount": amount, "currency": "JPY", "cancelRemainder": cancel_remainder}
        return self.request("POST", "/payments", json_body=body, idempotency_key=idempotency_key)

    def get_payment(self, payment_id: str) -> dict:
        return self.request("GET", f"/payments/{payment_id}")

    def refund(self, payment_id: str, amount: int, reason: str, idempotency_key: str,
               reference: str = "", description: str = "", tax_rate: int | None = None) -> dict:
        body = {"payment": payment_id, "amount": amount, "currency": "JPY", "reason": reason}
        if tax_rate:  # the consumption-tax rate it reduces, as the checkout's items carry theirs
            body["metadata"] = {"taxRate": str(tax_rate)}
        if reference:
            body["reference"] = reference
        if description:
            body["description"] = description
        return self.request("POST", "/refunds", json_body=body, idempotency_key=idempotency_key)

    def get_refund(self, refund_id: str) -> dict:
        return self.request("GET", f"/refunds/{refund_id}")

    def list_refunds(self, page_token: str | None = None, max_results: int = 100) -> dict:
        return self.request("GET", "/refunds", params=page_params(page_token, max_results))

    # --- tokens: orders charged without a page, after the shopper consented (定期便) ------------------
    def create_token_order(self, payload: dict, idempotency_key: str) -> dict:
        return self.request("POST", "/orders", json_body=payload, idempotency_key=idempotency_key)

    def get_token(self, token_id: str) -> dict:
        return self.request("GET", f"/tokens/{token_id}")

    def disable_token(self, token_id: str, idempotency_key: str) -> dict:
        return self.request("PUT", f"/tokens/{token_id}/disable", idempotency_key=idempotency_key)

    # --- campaigns: coupons and the promotion codes shoppers type (the discount is Smartpay's) --------
    def create_coupon(self, body: dict, idempotency_key: str) -> dict:
        return self.request("POST", "/coupons", json_body=body, idempotency_key=idempotency_key)

    def list_coupons(self) -> dict:
        return self.request("GET", "/coupons", params={"maxResults": 100})

    def create_promotion_code(self, body: dict, idempotency_key: str) -> dict:
        return self.request("POST", "/promotion-codes", json_body=body, idempotency_key=idempotency_key)

    def list_promotion_codes(self) -> dict:
        return self.request("GET", "/promotion-codes", params={"maxResults": 100})

    # --- webhooks -----------------------------------------------------------------------------
    def create_webhook_endpoint(self, url: str, events: list[str], idempotency_key: str) -> dict:
        body = {"url": url, "eventSubscriptions": events, "description": "Reference storefront"}
        return self.request("POST", "/webhook-endpoints", json_body=body, idempotency_key=idempotency_key)

    def get_webhook_endpoint(self, endpoint_id: str) -> dict:
        return self.request("GET", f"/webhook-endpoints/{endpoint_id}")

    # --- transport ----------------------------------------------------------------------------
    def request(self, method: str, path: str, json_body: dict | None = None, params: dict | None = None,
                idempotency_key: str = "") -> dict:
        """Send one call, retrying connection errors and 5xx a few times, and return the JSON body."""
        for attempt in range(self.retries + 1):
            try:
                return self.send_once(method, path, json_body, params, idempotency_key)
            except SmartpayError as error:
                if error.is_refusal or attempt == self.retries:
                    raise
                time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def send_once(self, method, path, json_body, params, idempotency_key) -> dict:
        headers = {"Authorization": f"Basic {self.secret_key}", "Accept": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        body_text = ""
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            body_text = json.dumps(json_body, ensure_ascii=False)
        started = time.monotonic()
        response, error = None, ""
        try:
            response = self.session.request(method, self.api_url + path, params=params, headers=headers,
                                            data=body_text.encode() or None, timeout=self.timeout)
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        self.record(CallRecord(
            method=method, path=path, status_code=response.status_code if response is not None else None,
            duration_ms=int((time.monotonic() - started) * 1000), idempotency_key=idempotency_key,
            request_body=body_text, response_body=response.text[:20000] if response is not None else "",
            error=error))
        if response is None:
            raise SmartpayError(None, "network", f"Smartpay did not answer ({error})")
        return parse_response(response)

    def record(self, call: CallRecord) -> None:
        if self.on_call is None:
            return
        try:
            self.on_call(call)
        except Exception:  # the API log must never break a payment
            log.exception("could not record Smartpay API call")


def expand_param(expand: bool) -> dict:
    return {"expand": "all" if expand else "no"}


def page_params(page_token: str | None, max_results: int, expand: bool = False) -> dict:
    params = {"maxResults": max_results, **expand_param(expand)}
    if page_token:
        params["pageToken"] = page_token
    return params


def parse_response(response: requests.Response) -> dict:
    try:
        data = response.json() if response.content else {}
    except ValueError:
        data = None
    if response.ok and isinstance(data, dict):
        return data
    if response.ok:
        raise SmartpayError(response.status_code, "unexpected_response", "Smartpay sent a body that is not JSON")
    data = data if isinstance(data, dict) else {}
    raise SmartpayError(
        response.status_code,
        str(data.get("errorCode") or f"http.{response.status_code}"),
        str(data.get("message") or response.reason or "Smartpay refused the request"),
        data.get("details") if isinstance(data.get("details"), list) else [])


# --- webhook signatures ---------------------------------------------------------------------------
# Smartpay's base62 alphabet puts upper case first; the usual 0-9A-Za-z order gives a different key.
BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def base62_decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 62 + BASE62.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_zeros = len(text) - len(text.lstrip(BASE62[0]))
    return b"\x00" * leading_zeros + body


def webhook_signature(signing_secret: str, timestamp: str, raw_body: bytes) -> str:
    message = timestamp.encode() + b"." + raw_body
    return hmac.new(base62_decode(signing_secret), message, hashlib.sha256).hexdigest()


def verify_webhook_signature(signing_secret: str, timestamp: str, raw_body: bytes, signature: str) -> bool:
    """True when `signature` is Smartpay's signature of exactly these bytes; compared in constant time."""
    try:
        expected = webhook_signature(signing_secret, timestamp, raw_body)
    except ValueError:  # a secret with characters outside the alphabet can never match
        return False
    # As bytes: compare_digest refuses a str with non-ASCII characters, and a header may carry any.
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())
