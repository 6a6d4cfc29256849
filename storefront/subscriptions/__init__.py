"""定期便: deliveries charged each cycle with the shopper's Smartpay token, without the shopper coming back.

    models.py        the subscription, its lines and its cycles (one row per delivery, numbered)
    statuses.py      its codes; labels.py what they read as
    service.py       what the shopper and the merchant can do to one (create, consent, skip, pause, resume, cancel)
    billing.py       what is due as of a day: each cycle charged once (POST /orders {token} with an
                     Idempotency-Key from the subscription, the cycle and the try), through the same state machine
                     as any order
    token_events.py  Smartpay's token events, registered with the webhook inbox
    cli.py           `flask subscriptions run-due [--as-of DATE]`: what the worker runs, by hand

It plugs in from `init_app` when SUBSCRIPTIONS is on: its pages, its command, its token events; the worker's job
and the admin's pages look at the same setting. Off, the shop has no 定期便 and nothing else changes.
"""
from flask import Flask

from ..config import feature_on

BELONGS_TO = "subscription"  # the orders.belongs_to of a delivery's order


def init_app(app: Flask) -> None:
    from . import labels

    labels.register(app)
    if not feature_on(app.config, "subscriptions"):
        return
    from ..smartpay.webhooks.inbox import on_events
    from .cli import subscriptions_cli
    from .token_events import TOKEN_EVENTS, token_changed
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(subscriptions_cli)
    on_events(app, TOKEN_EVENTS, token_changed)
