"""Bank transfer's tables: the money the merchant recorded for an order (in, and back out), and each order's 振込番号."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import public_id, utcnow
from ..statuses import one_of, stored_as
from .statuses import TransferEntryKind

DIGITS = 8  # of a 振込番号 (numbers.py)


class TransferEntry(db.Model):
    """Money that came in (received) or went back (refunded) for a bank transfer order, as the merchant
    recorded it. `public_id` is the form's one-time token: the same form sent twice is one entry."""
    __tablename__ = "bank_transfer_entries"
    __table_args__ = (one_of("kind", TransferEntryKind, "transfer_entry_kind_known"),
                      CheckConstraint("amount > 0", name="transfer_entry_amount_positive"))
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=public_id)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[TransferEntryKind] = mapped_column(stored_as(TransferEntryKind, length=10))
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(30), default="")  # refunds: a refund reason code
    tax_rate: Mapped[int | None]  # refunds: the rate it reduces (storefront/tax.py); None: all, in proportion
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sender: Mapped[str] = mapped_column(String(100), default="")  # received: the statement's sender line


class TransferNumber(db.Model):
    __tablename__ = "bank_transfer_numbers"
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[str] = mapped_column(String(DIGITS), unique=True)
