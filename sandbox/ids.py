"""Smartpay-shaped ids and timestamps."""
import hashlib
import secrets
import string
import time

ALPHANUMERIC = string.digits + string.ascii_letters


def new_id(prefix: str) -> str:
    """`order_test_` + 22 random alphanumerics: the shape the official SDKs check with a regex."""
    return f"{prefix}_test_" + "".join(secrets.choice(ALPHANUMERIC) for _ in range(22))


def now_ms() -> int:
    return int(time.time() * 1000)


def account_of(secret_key: str) -> str:
    """Each test key is its own merchant account; only a hash of the key is ever stored."""
    return hashlib.sha256(secret_key.encode()).hexdigest()[:32]
