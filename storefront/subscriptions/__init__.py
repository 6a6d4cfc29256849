"""定期便: deliveries charged each cycle with the shopper's Smartpay token, without the shopper coming back.

    models.py   the subscription, its lines and its cycles (one row per delivery, numbered)
    billing.py  what is due as of a day: each cycle charged once (POST /orders {token} with an Idempotency-Key
                from the subscription, the cycle and the try), through the same state machine as any order
    cli.py      `flask subscriptions run-due [--as-of DATE]`: what the worker runs, by hand
"""
