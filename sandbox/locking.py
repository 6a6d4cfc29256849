"""One change of money, one transaction: the account's lock row is the first thing a change writes.

Smartpay's API may answer from any of its servers; so may this sandbox's processes (`smartpay-sandbox
--workers N`, or several sandboxes on one PostgreSQL). A lock held in Python memory protects one process only,
so every change of an account's money starts by updating that account's row in `account_locks`: PostgreSQL
locks the row, SQLite takes its one write lock, and both hold it until the change commits. Two refunds of the
same payment, two clicks on "Confirm payment", or a request and its retry with the same Idempotency-Key then
run one after the other, each on the rows the other committed.

Nothing here commits: whoever called (the API's write wrapper, a page, the deliverer) commits once, so the
change, its events and the answer remembered for its Idempotency-Key are all kept, or none of them.
"""
import functools

from sqlalchemy import String, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


class AccountLock(db.Model):
    __tablename__ = "account_locks"
    account: Mapped[str] = mapped_column(String(32), primary_key=True)
    changes: Mapped[int] = mapped_column(default=0)  # how many changes took the lock: a write, never read


def lock_account(account: str) -> None:
    """Hold the account's lock until this transaction ends (taken again in the same one: nothing happens)."""
    db.session.flush()  # what the caller changed so far is written under the lock, never lost to a refresh
    dialect = sqlite if db.session.get_bind().dialect.name == "sqlite" else postgresql
    db.session.execute(dialect.insert(AccountLock).values(account=account, changes=0).on_conflict_do_nothing())
    db.session.execute(update(AccountLock).where(AccountLock.account == account)
                       .values(changes=AccountLock.changes + 1).execution_options(synchronize_session=False))


def locked(change):
    """A change of one record's account: the lock first, then the record read again as committed."""
    @functools.wraps(change)
    def run(record, *args, **kwargs):
        lock_account(record.account)
        db.session.refresh(record)
        return change(record, *args, **kwargs)
    return run
