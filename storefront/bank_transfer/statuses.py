"""Bank transfer's own codes, stored in its entries (a CHECK constraint, migration a7c3e5f1b9d4); labels.py words
them."""
from enum import StrEnum

BANK_TRANSFER = "bank_transfer"  # the orders.payment_method of an order paid by bank transfer
DEADLINE = "deadline"            # who moved an order (OrderEvent.source): the worker, when the deadline passed


class TransferEntryKind(StrEnum):
    """A bank transfer order's money, as the merchant records it (storefront/bank_transfer/transfers.py)."""
    RECEIVED = "received"      # 入金: the shopper's transfer arrived (all of it, or part)
    REFUNDED = "refunded"      # the shop sent money back by its own transfer
