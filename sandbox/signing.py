"""Webhook signatures exactly as Smartpay makes them (contract §5.4)."""
import hashlib
import hmac
import secrets

# Upper case first: Smartpay's alphabet, not the usual 0-9A-Za-z.
BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
KEY_BYTES = 30


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of two texts (as bytes: compare_digest refuses non-ASCII str, which anyone can send)."""
    return hmac.compare_digest(given.encode(), expected.encode())


def base62_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, remainder = divmod(number, 62)
        digits = BASE62[remainder] + digits
    return digits or BASE62[0]


def base62_decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 62 + BASE62.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * (len(text) - len(text.lstrip(BASE62[0]))) + body


def new_signing_secret() -> str:
    """30 random bytes with a non-zero first byte, not starting with 'A' or '0z': every SDK decodes it alike."""
    while True:
        key = secrets.token_bytes(KEY_BYTES)
        secret = base62_encode(key)
        if key[0] and not secret.startswith(("A", "0z")) and base62_decode(secret) == key:
            return secret


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(base62_decode(secret), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
