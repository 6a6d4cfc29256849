"""Reconciliation: the shop and Smartpay compared from both sides, so that money moved once is provably once.

    smartpay_orders.py  Smartpay's orders and refunds read page by page; the order Smartpay made for a shop order
    report.py           every difference between the two books, with what to do about each
    commands.py         `flask smartpay reconcile --report [--since DATE]`, for cron: non-zero on any difference

The admin's page (storefront/admin/reconciliation.py) shows the same report. The worker's periodic sync, which
moves open orders on, is storefront/smartpay/sync.py.
"""
