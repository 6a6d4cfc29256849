"""promotion codes: the code the shopper typed, and the discount Smartpay applied

Revision ID: c4f8a2d6e0b7
Revises: a7c3e5f1b9d4
Create Date: 2026-12-02 17:00:00

The shop never computes a discount: it passes the shopper's code to Smartpay's hosted page and records what
Smartpay's order says it took off. Orders from before had neither: '' and 0.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4f8a2d6e0b7'
down_revision = 'a7c3e5f1b9d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders') as batch_op:
        batch_op.add_column(sa.Column('promotion_code', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('discount_amount', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_check_constraint('discount_within_total', 'discount_amount >= 0 AND discount_amount <= total')


def downgrade():
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_constraint('discount_within_total', type_='check')
        batch_op.drop_column('discount_amount')
        batch_op.drop_column('promotion_code')
