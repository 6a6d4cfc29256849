"""The worker's pieces without the network: the endpoint answers without Smartpay, periodic jobs take turns,
orders stuck in `pending` are closed, the queue claims each row once."""
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from storefront import jobs
from storefront.extensions import db
from storefront.models import Order, utcnow
from storefront.smartpay import jobs as smartpay_jobs
from storefront.smartpay.models import ApiCall, WebhookEvent
from storefront.smartpay.statuses import WebhookStatus
from storefront.smartpay.webhooks import jobs as inbox
from storefront.statuses import OrderStatus
from storefront.worker import JOBS, jobs_table, run_once, take_turn
from tests.support.factories import a_stored_event, an_endpoint, an_event, an_order, signed_headers


def test_the_endpoint_stores_and_answers_without_asking_smartpay(app, client):
    """Smartpay is unreachable here (port 9): the endpoint must not care."""
    with app.app_context():
        an_endpoint()
        an_order(OrderStatus.AWAITING_PAYMENT, smartpay_order_id="order_test_abc")
    body = an_event("order.authorized", {"id": "order_test_abc"}, "evt_test_inbox0000000000000")
    answer = client.post("/webhooks/smartpay", data=body,
                         headers=signed_headers(body, **{"X-Request-ID": "delivery-00000007"}))
    assert answer.status_code == 200 and answer.json == {"received": True}
    with app.app_context():
        (event,) = db.session.scalars(select(WebhookEvent)).all()
        assert (event.status, event.attempts, event.smartpay_order_id) == (WebhookStatus.RECEIVED, 0, "order_test_abc")
        assert db.session.scalar(select(func.count(ApiCall.id))) == 0
        # The worker tries, Smartpay does not answer: the event waits for its next try, with the reason.
        assert run_once(("webhooks",)) == {"webhooks": {"processed": 0, "retried": 1, "failed": 0}}
        event = db.session.scalar(select(WebhookEvent))
        assert event.status == WebhookStatus.RECEIVED and event.attempts == 1 and "no answer" in event.last_error
        assert event.next_attempt_at > utcnow()
        # The worker's call to Smartpay is logged under the delivery's request id, so the two can be joined.
        assert set(db.session.scalars(select(ApiCall.request_id))) == {"delivery-00000007"}


def test_a_periodic_job_runs_in_one_worker_at_a_time_and_only_when_due(app):
    with app.app_context():
        assert take_turn("sync", every=300) is True
        assert take_turn("sync", every=300) is False  # another worker, or the same one a second later
        assert take_turn("prune", every=300) is True  # each job has its own turn


def test_orders_stuck_in_pending_are_closed_by_the_sync(app):
    with app.app_context():
        stuck, fresh = an_order(OrderStatus.PENDING), an_order(OrderStatus.PENDING, "HM-TEST0002")
        stuck.created_at = utcnow() - timedelta(minutes=31)
        db.session.commit()
        assert smartpay_jobs.run() == {"checked": 0, "changed": 0, "failed": 0, "closed": 1}
        assert db.session.get(Order, stuck.id).status == OrderStatus.FAILED
        assert db.session.get(Order, stuck.id).history[0].note == smartpay_jobs.STOPPED_BEFORE_SMARTPAY
        assert db.session.get(Order, fresh.id).status == OrderStatus.PENDING


def test_a_row_is_claimed_once_and_a_dead_workers_claim_comes_back(app):
    with app.app_context():
        a_stored_event("payout.paid")
        (row_id,) = jobs.due_ids(WebhookEvent, WebhookStatus.RECEIVED, 10)
        assert jobs.claim(WebhookEvent, row_id, WebhookStatus.RECEIVED, WebhookStatus.PROCESSING) is True
        assert jobs.claim(WebhookEvent, row_id, WebhookStatus.RECEIVED, WebhookStatus.PROCESSING) is False
        # A worker that lost the database mid-event: its claim is taken back after the inbox's two minutes.
        db.session.execute(db.update(WebhookEvent).values(claimed_at=utcnow() - timedelta(seconds=100)))
        assert inbox.process_due() == {"processed": 0, "retried": 0, "failed": 0}
        db.session.execute(db.update(WebhookEvent).values(claimed_at=utcnow() - inbox.CLAIM_TIMEOUT - timedelta(1)))
        assert inbox.process_due() == {"processed": 1, "retried": 0, "failed": 0}
        assert db.session.scalar(select(WebhookEvent.attempts)) == 2


def test_retries_wait_longer_each_time_up_to_an_hour():
    waits = [jobs.backoff(attempt, first=5).total_seconds() for attempt in range(1, 12)]
    assert waits[:4] == [5, 10, 20, 40] and waits[-1] == 3600 and waits == sorted(waits)


def test_a_moved_clock_runs_the_deadline_job_by_hand_even_when_it_is_not_its_turn(app):
    """`flask worker --once --only transfers --as-of`: what a workshop host types to show a lapsed deadline."""
    with app.app_context():
        due = utcnow() + timedelta(days=7)
        an_order(OrderStatus.AWAITING_TRANSFER, payment_method="bank_transfer", payment_due_at=due)
        assert take_turn("transfers", 600)  # a running worker just took the job's turn
    runner = app.test_cli_runner()
    early = runner.invoke(args=["worker", "--once", "--only", "transfers", "--as-of",
                                (due - timedelta(days=1)).strftime("%Y-%m-%d")])
    assert early.exit_code == 0 and early.output == "transfers: cancelled 0\n"
    late = runner.invoke(args=["worker", "--once", "--only", "transfers", "--as-of",
                               (due + timedelta(days=1)).strftime("%Y-%m-%d")])
    assert late.exit_code == 0 and late.output == "transfers: cancelled 1\n"
    with app.app_context():
        assert db.session.scalar(select(Order.status)) == OrderStatus.CANCELLED
    refused = runner.invoke(args=["worker", "--as-of", "2026-12-31"])
    assert refused.exit_code == 2 and "--as-of goes with --once" in refused.output


def test_the_jobs_are_listed_once_and_the_help_and_the_docs_follow_that_list(runner):
    help_text = runner.invoke(args=["worker", "--help"]).output
    assert all(job.name in help_text and job.what.split(":")[0] in help_text for job in JOBS)
    architecture = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text()
    assert jobs_table() in architecture, "docs/architecture.md's worker table is not the one JOBS makes"
