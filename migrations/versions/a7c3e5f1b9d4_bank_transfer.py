"""bank transfer beside Smartpay: the payment method as a column of the order, its deadline, the order it
follows, a status to wait for the transfer, and the money the merchant records

Revision ID: a7c3e5f1b9d4
Revises: b6e1d3a8c5f2
Create Date: 2026-12-02 16:00:00

Every order before this was paid with Smartpay, so existing rows get `smartpay`. The status lists are written
out, as in f2b7c4d9e1a3: a migration describes the schema of its day.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c3e5f1b9d4'
down_revision = 'b6e1d3a8c5f2'
branch_labels = None
depends_on = None

BEFORE = ('pending', 'awaiting_payment', 'paid', 'partially_refunded', 'refunded', 'rejected', 'cancelled', 'failed')
ORDER = BEFORE + ('awaiting_transfer',)
METHODS = ('smartpay', 'bank_transfer')
STATUS_CHECKS = (('orders', 'order_status_known', 'status'),
                 ('order_events', 'order_event_from_known', 'from_status'),
                 ('order_events', 'order_event_to_known', 'to_status'))


def one_of(column, codes):
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def replace_status_checks(codes):
    for table, name, column in STATUS_CHECKS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(name, type_='check')
            batch_op.create_check_constraint(name, one_of(column, codes))


def upgrade():
    with op.batch_alter_table('orders') as batch_op:
        batch_op.add_column(sa.Column('payment_method', sa.String(length=20), nullable=False,
                                      server_default='smartpay'))
        batch_op.add_column(sa.Column('follows_order_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('payment_due_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key('fk_orders_follows_order_id', 'orders', ['follows_order_id'], ['id'])
        batch_op.create_unique_constraint('uq_orders_follows_order_id', ['follows_order_id'])
        batch_op.create_check_constraint('order_payment_method_known', one_of('payment_method', METHODS))
    replace_status_checks(ORDER)
    op.create_table(
        'bank_transfer_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=30), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_by', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('public_id'),
        sa.CheckConstraint("kind IN ('received', 'refunded')", name='transfer_entry_kind_known'),
        sa.CheckConstraint('amount > 0', name='transfer_entry_amount_positive'),
    )
    op.create_index('ix_bank_transfer_entries_order_id', 'bank_transfer_entries', ['order_id'])
    # The worker looks for transfer orders past their deadline.
    op.create_index('ix_orders_method_status_due', 'orders', ['payment_method', 'status', 'payment_due_at'])


def downgrade():
    op.drop_index('ix_orders_method_status_due', table_name='orders')
    op.drop_table('bank_transfer_entries')
    op.execute("DELETE FROM order_events WHERE order_id IN (SELECT id FROM orders WHERE payment_method <> 'smartpay')")
    op.execute("DELETE FROM orders WHERE payment_method <> 'smartpay'")
    replace_status_checks(BEFORE)
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_constraint('order_payment_method_known', type_='check')
        batch_op.drop_constraint('uq_orders_follows_order_id', type_='unique')
        batch_op.drop_constraint('fk_orders_follows_order_id', type_='foreignkey')
        for column in ('payment_due_at', 'follows_order_id', 'payment_method'):
            batch_op.drop_column(column)
