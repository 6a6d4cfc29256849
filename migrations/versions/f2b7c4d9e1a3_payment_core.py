"""the payment core: statuses the database checks, a webhook inbox, worker leases, history sources as codes

Revision ID: f2b7c4d9e1a3
Revises: d5a8c2f1e7b4
Create Date: 2026-12-02 13:30:00

The status lists are written out here, not imported from storefront/statuses.py: a migration describes the
schema as it was on the day it was written, whatever the code says later.
"""
from alembic import op
import sqlalchemy as sa


revision = 'f2b7c4d9e1a3'
down_revision = 'd5a8c2f1e7b4'
branch_labels = None
depends_on = None

ORDER = ('pending', 'awaiting_payment', 'paid', 'partially_refunded', 'refunded', 'rejected', 'cancelled', 'failed')
REFUND = ('pending', 'succeeded', 'failed')
EMAIL = ('pending', 'sending', 'sent', 'failed')
WEBHOOK = ('received', 'processing', 'processed', 'failed', 'refused')
# History sources were words ("return page", "webhook order.authorized", "admin a@b"); now codes.
SOURCES = {'return page': 'return_page', 'cancel page': 'cancel_page', 'status poll': 'status_poll',
           'Smartpay': 'smartpay'}


def one_of(column, codes):
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def upgrade():
    for old, new in SOURCES.items():
        op.execute(sa.text("UPDATE order_events SET source = :new WHERE source = :old").bindparams(old=old, new=new))
    for prefix in ('webhook', 'admin'):
        op.execute(sa.text("UPDATE order_events SET source = CAST(:colon AS VARCHAR) || substr(source, CAST(:cut AS INTEGER)) "
                           "WHERE source LIKE :like")
                   .bindparams(colon=prefix + ':', cut=len(prefix) + 2, like=prefix + ' %'))

    with op.batch_alter_table('webhook_events') as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), nullable=False, server_default='received'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))
    # Rows from before the inbox were handled when they arrived.
    op.execute("UPDATE webhook_events SET status = 'refused' WHERE signature_valid = false")
    op.execute("UPDATE webhook_events SET status = 'processed', attempts = 1 "
               "WHERE signature_valid = true AND processed_at IS NOT NULL")
    op.execute("UPDATE webhook_events SET next_attempt_at = received_at")
    with op.batch_alter_table('webhook_events') as batch_op:
        batch_op.alter_column('next_attempt_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_check_constraint('webhook_status_known', one_of('status', WEBHOOK))
        batch_op.create_index('ix_webhook_events_status_next', ['status', 'next_attempt_at'])

    with op.batch_alter_table('orders') as batch_op:
        batch_op.create_check_constraint('order_status_known', one_of('status', ORDER))
    with op.batch_alter_table('order_events') as batch_op:
        batch_op.alter_column('source', existing_type=sa.String(length=40), type_=sa.String(length=300))
        batch_op.create_check_constraint('order_event_from_known', one_of('from_status', ORDER))
        batch_op.create_check_constraint('order_event_to_known', one_of('to_status', ORDER))
    with op.batch_alter_table('refunds') as batch_op:
        batch_op.create_check_constraint('refund_status_known', one_of('status', REFUND))
    with op.batch_alter_table('outbox_emails') as batch_op:
        batch_op.create_check_constraint('email_status_known', one_of('status', EMAIL))

    op.create_table(
        'worker_leases',
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('holder', sa.String(length=80), nullable=False),
        sa.Column('leased_until', sa.DateTime(), nullable=False),
        sa.Column('last_run_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('job'),
    )


def downgrade():
    op.drop_table('worker_leases')
    for table, names in (('outbox_emails', ['email_status_known']), ('refunds', ['refund_status_known']),
                         ('order_events', ['order_event_from_known', 'order_event_to_known']),
                         ('orders', ['order_status_known'])):
        with op.batch_alter_table(table) as batch_op:
            for name in names:
                batch_op.drop_constraint(name, type_='check')
    with op.batch_alter_table('webhook_events') as batch_op:
        batch_op.drop_constraint('webhook_status_known', type_='check')
        batch_op.drop_index('ix_webhook_events_status_next')
        for column in ('claimed_at', 'next_attempt_at', 'last_error', 'attempts', 'status'):
            batch_op.drop_column(column)
