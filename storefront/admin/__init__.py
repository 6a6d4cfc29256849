"""The merchant's back office: orders, refunds, capture, bank transfers, campaigns, and the webhook and API logs.

One blueprint, with its routes split by concern: sign-in, orders, logs, commands.
"""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", cli_group="admin")

from . import (commands, emails, logs, promotions, receipts, reconciliation, session_views, subscriptions,  # noqa: E402,F401
               transfers, views)  # (routes register on bp)
