"""The database as the queue: how the worker's jobs claim rows (the webhook inbox, the email outbox).

A row is claimed with a compare-and-set (`UPDATE … WHERE id = ? AND status = <waiting>`): of several workers
on several machines, exactly one gets each row, on SQLite and PostgreSQL alike, with no queue server. A worker
that dies holding a row (or loses the database in the middle) leaves it claimed; after the queue's claim timeout
another worker takes it back. The claim saves work; it is not what keeps money safe: a row handled twice changes
nothing twice (moves are compare-and-sets, emails and refunds have unique keys).
"""
from datetime import timedelta
from typing import Callable

from sqlalchemy import select, update

from .extensions import db
from .models import utcnow

CLAIM_TIMEOUT = timedelta(minutes=10)


def work_through(model, waiting, working, handle: Callable[[object], str], outcomes: tuple[str, ...],
                 limit: int = 50, claim_timeout: timedelta = CLAIM_TIMEOUT) -> dict:
    """One pass over a queue: take back stale claims, then claim each due row and hand it to `handle` (its own
    unit of work), which says what became of it; returns how many rows had each outcome."""
    release_stale_claims(model, working, waiting, claim_timeout)
    counts = dict.fromkeys(outcomes, 0)
    for row_id in due_ids(model, waiting, limit):
        if claim(model, row_id, waiting, working):
            counts[handle(db.session.get(model, row_id))] += 1
    return counts


def due_ids(model, waiting, limit: int) -> list[int]:
    """Rows waiting whose time has come, oldest first (the order they arrived in)."""
    return db.session.scalars(select(model.id).where(model.status == waiting, model.next_attempt_at <= utcnow())
                              .order_by(model.id).limit(limit)).all()


def claim(model, row_id: int, waiting, working) -> bool:
    """True when this worker took the row; the claim is its own unit of work, committed at once."""
    claimed = db.session.execute(
        update(model).where(model.id == row_id, model.status == waiting)
        .values(status=working, claimed_at=utcnow(), attempts=model.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def release_stale_claims(model, working, waiting, claim_timeout: timedelta = CLAIM_TIMEOUT) -> None:
    db.session.execute(update(model).where(model.status == working, model.claimed_at < utcnow() - claim_timeout)
                       .values(status=waiting).execution_options(synchronize_session=False))
    db.session.commit()


def backoff(attempts: int, first: float, longest: timedelta = timedelta(hours=1)) -> timedelta:
    """The wait before the next try: `first` seconds, then twice as long each time, at most `longest`."""
    return min(timedelta(seconds=first * 2 ** max(attempts - 1, 0)), longest)
