"""Features plug in: an order says what it belongs to (`belongs_to`: a cart, a 定期便), and its payment method is
any method a package registered (no CHECK listing them: a new method needs no migration)

Revision ID: 2b5d9f3a7c61
Revises: 9c4e2b7d1f08
Create Date: 2026-12-06 03:00:00

The 定期便's orders were known by the prefix of their submission id (`subscription-…`); they say so now.
"""
from alembic import op
import sqlalchemy as sa


revision = '2b5d9f3a7c61'
down_revision = '9c4e2b7d1f08'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders') as batch_op:
        batch_op.add_column(sa.Column('belongs_to', sa.String(length=20), nullable=False, server_default='cart'))
        batch_op.drop_constraint('order_payment_method_known', type_='check')
    op.execute("UPDATE orders SET belongs_to = 'subscription' WHERE submission_id LIKE 'subscription-%'")


def downgrade():
    op.execute("DELETE FROM order_events WHERE order_id IN (SELECT id FROM orders "
               "WHERE payment_method NOT IN ('smartpay', 'bank_transfer'))")
    op.execute("DELETE FROM orders WHERE payment_method NOT IN ('smartpay', 'bank_transfer')")
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_column('belongs_to')
        batch_op.create_check_constraint('order_payment_method_known',
                                         "payment_method IN ('smartpay', 'bank_transfer')")
