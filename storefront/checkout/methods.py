"""The payment methods the checkout offers: each method's package registers one `Method` from its `init_app`.

The checkout knows no method by name. It validates the form, then asks the chosen method to `place` the order
and to `start` its payment (a redirect to a provider's page, or to the method's own instructions). The view
commits between the two when the method calls out (`calls_out`): the order must be on record before a
provider is asked, so a crash while it answers leaves something the worker can finish.

Every method registers (so start-up can name the known ones); one that is off in PAYMENT_METHODS is not offered,
and its package adds no routes, jobs or settings checks.
"""
from dataclasses import dataclass
from typing import Callable

from flask import Flask, current_app


class PaymentNotStarted(Exception):
    """The method could not start the payment (its provider failed or refused); `reason` is for the shopper.
    The method has recorded the failure on the order; nothing was charged."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Method:
    code: str                         # the order's payment_method column, and the form's value
    label: object                     # its choice at checkout and its name in the admin (a lazy string)
    hint: Callable[[], str]           # the line under its choice: what happens when the shopper picks it
    place: Callable[..., object]      # (cart, customer, submission_id, promotion_code) → the pending order
    start: Callable[[object], object]  # (order) → the response that takes the shopper on
    calls_out: bool = False           # starting asks a provider over the network: commit the order first
    takes_promotion_codes: bool = False
    offer: str | None = None          # a template offering it on Smartpay's "choose another method" page
    # When the shopper pays (支払時期): the checkout's final confirmation and the legal notice say it; the hint if None.
    when_paid: Callable[[], str] | None = None
    name: object = None               # its short name in the admin and the emails (a lazy string); else the label

    def payment_timing(self) -> str:
        return (self.when_paid or self.hint)()


def init_app(app: Flask) -> None:
    """Before the methods register: the `payment_method` filter names an order's method from the registry."""
    app.jinja_env.filters["payment_method"] = name_of


def register(app: Flask, method: Method) -> None:
    app.extensions.setdefault("payment_methods", {})[method.code] = method


def name_of(code: str) -> str:
    method = registered().get(code)
    return str(method.name or method.label) if method else code


def registered(app: Flask | None = None) -> dict[str, Method]:
    return (app or current_app).extensions.get("payment_methods", {})


def offered() -> list[Method]:
    """The methods of PAYMENT_METHODS, in its order (the first is chosen unless the shopper picks another)."""
    methods = registered()
    return [methods[code] for code in current_app.config["PAYMENT_METHODS"] if code in methods]


def method_of(code: str) -> Method | None:
    return registered().get(code) if code in current_app.config["PAYMENT_METHODS"] else None


def check_offered(app: Flask) -> None:
    """At start-up, after every package registered: each method PAYMENT_METHODS names must exist."""
    from ..config import ConfigError

    missing = [code for code in app.config["PAYMENT_METHODS"] if code not in registered(app)]
    if missing:
        raise ConfigError(f"PAYMENT_METHODS must name each method once, separated by commas, from "
                          f"{', '.join(registered(app))}; got {','.join(app.config['PAYMENT_METHODS'])!r}")
