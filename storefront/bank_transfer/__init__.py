"""Bank transfer, paid in advance (銀行振込・前払い): a second payment method beside Smartpay.

    transfers.py  what happens to the order and its money (placed, received, cancelled, refunded, overdue)
    views.py      the shopper's pages: pay by transfer (from the checkout or after Smartpay declined), the
                  instructions
    The merchant's actions are in storefront/admin/transfers.py, the worker's job in storefront/worker.py.

A third method (konbini, cash on delivery …) is a package like this one, a row in orders.TRANSITIONS and a line
in checkout.views.PAY_WITH; the Smartpay code does not change.
"""
