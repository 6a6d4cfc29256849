"""Smartpay, in one folder: what a merchant copies to take payments with Smartpay's hosted checkout.

    client.py          the thin client of Smartpay's API (requests; one exception type) and the signature check
    gateway.py         the shop's configured client, every call written to the API log
    models.py          its tables: the webhook endpoint registered at Smartpay, the webhook inbox, the API log
    statuses.py        its codes (the method's, its webhooks' statuses and results, who moved an order on its side,
                       Smartpay's own order statuses); labels.py what they read as
    payload.py         the shop's order as the JSON Smartpay expects (checkout sessions, token orders)
    payments.py        Smartpay's side of an order: start the payment, read Smartpay's view and apply it,
                       capture and cancel (manual capture), and its row of the state machine (storefront/orders.py)
    refunds.py         refunds reserved in the shop, sent to Smartpay, recorded once
    checkout.py        the method the checkout offers: place the order, start the hosted checkout
    views.py           the pages the shopper comes back to, and the processing page's poller
    webhooks/          the endpoint (signed, stored, answered at once), the inbox the worker works through, and
                       registering the endpoint at Smartpay
    jobs.py            the worker's sync, its safety net: open orders re-read, stale ones closed
    reconciliation/    the shop's books compared with Smartpay's (`flask smartpay reconcile`, the admin's page)
    housekeeping.py    the logs' daily pruning (the worker's `prune` job, `flask admin prune-logs`)
    commands.py        `flask smartpay register-webhook|sync|reconcile`

It imports from the shop's core (orders, models, mail, cart) and nothing from its other features: bank transfer,
定期便, the demo and the admin plug into it, never the other way round (tests/core/test_layers.py).
"""
from flask import Flask

from ..checkout import methods


def init_app(app: Flask) -> None:
    from . import labels
    from .checkout import METHOD
    from .commands import smartpay_cli
    from .views import bp as returns_bp
    from .webhooks.views import bp as webhooks_bp

    labels.register(app)
    methods.register(app, METHOD)
    app.register_blueprint(returns_bp)
    app.register_blueprint(webhooks_bp)
    app.cli.add_command(smartpay_cli)
