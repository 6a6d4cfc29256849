"""定期便 for shoppers: products that can be subscribed (the teas), and a subscription that waits for the
shopper's consent at Smartpay before it is active

Revision ID: f6a2c8e4b1d3
Revises: e1d7b3f9a5c2
Create Date: 2026-12-02 18:30:00

`products.subscribable` is added with a plain ADD COLUMN, not a batch copy: on SQLite a copy would drop the
triggers that keep catalog_versions (migration d5a8c2f1e7b4).
"""
from alembic import op
import sqlalchemy as sa


revision = 'f6a2c8e4b1d3'
down_revision = 'e1d7b3f9a5c2'
branch_labels = None
depends_on = None

STATUSES = ('pending', 'active', 'paused', 'cancelled')


def upgrade():
    op.add_column('products', sa.Column('subscribable', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE products SET subscribable = true WHERE category_id IN "
               "(SELECT id FROM categories WHERE slug = 'tea')")
    with op.batch_alter_table('subscriptions') as batch_op:
        batch_op.alter_column('smartpay_token_id', existing_type=sa.String(length=80), nullable=True)
        batch_op.add_column(sa.Column('smartpay_checkout_url', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))
        batch_op.drop_constraint('subscription_status_known', type_='check')
        batch_op.create_check_constraint('subscription_status_known',
                                         f"status IN ({', '.join(repr(s) for s in STATUSES)})")


def downgrade():
    op.execute("DELETE FROM subscription_cycles WHERE subscription_id IN "
               "(SELECT id FROM subscriptions WHERE status = 'pending' OR smartpay_token_id IS NULL)")
    op.execute("DELETE FROM subscription_lines WHERE subscription_id IN "
               "(SELECT id FROM subscriptions WHERE status = 'pending' OR smartpay_token_id IS NULL)")
    op.execute("DELETE FROM subscriptions WHERE status = 'pending' OR smartpay_token_id IS NULL")
    with op.batch_alter_table('subscriptions') as batch_op:
        batch_op.drop_constraint('subscription_status_known', type_='check')
        batch_op.create_check_constraint('subscription_status_known', "status IN ('active', 'paused', 'cancelled')")
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('note')
        batch_op.drop_column('smartpay_checkout_url')
        batch_op.alter_column('smartpay_token_id', existing_type=sa.String(length=80), nullable=False)
    op.drop_column('products', 'subscribable')
