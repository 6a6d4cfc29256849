"""Order emails through a transactional outbox.

The email is written to the `outbox_emails` table in the same transaction as the status change that calls
for it (an order becoming paid, a refund accepted, an authorization cancelled), never sent from the page or
the webhook that saw it. A unique key per event (`confirmation:<order>`, `refund:<refund>`) makes a second
writer's row impossible, so the return page and the webhook racing in two workers queue one email; and a
process killed right after the commit loses nothing, because the row is already there. `flask mail
send-pending`, or the worker's emails job (`flask worker`), delivers due rows over SMTP with retries and backoff.
"""
from .models import OutboxEmail  # noqa: F401
from .outbox import queue_cancellation, queue_confirmation, queue_refund_notice  # noqa: F401
