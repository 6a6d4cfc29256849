"""Bank transfer, paid in advance (銀行振込・前払い): a second payment method beside Smartpay.

    models.py     its tables: the money the merchant recorded (in and back), each order's 振込番号
    transfers.py  what happens to the order and its money (placed, received, cancelled, refunded, overdue),
                  and its row of the state machine
    statuses.py   its codes; labels.py what they read as
    views.py      the shopper's pages: pay by transfer (from the checkout or after Smartpay declined), the
                  instructions; and the method the checkout offers
    The merchant's actions are in storefront/admin/transfers.py, the worker's job in storefront/worker.py.

It plugs in from `init_app` alone: the checkout, Smartpay's "choose another method" page and the worker know it
only as a registered method. A third method (konbini, cash on delivery …) is a package like this one;
tests/support/counter_method.py is a small one a test pays and refunds.
"""
from flask import Flask

from ..checkout import methods
from ..config import validate_bank_account


def init_app(app: Flask) -> None:
    from . import labels
    from .views import METHOD, bp

    labels.register(app)
    methods.register(app, METHOD)
    if METHOD.code in app.config["PAYMENT_METHODS"]:  # off: no pages and no account to ask for
        validate_bank_account(app.config)
        app.register_blueprint(bp)
