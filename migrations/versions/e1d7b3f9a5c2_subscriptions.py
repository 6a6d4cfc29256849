"""定期便: subscriptions, their lines and their cycles, and the statuses they may have

Revision ID: e1d7b3f9a5c2
Revises: c4f8a2d6e0b7
Create Date: 2026-12-02 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e1d7b3f9a5c2'
down_revision = 'c4f8a2d6e0b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('smartpay_token_id', sa.String(length=80), nullable=False),
        sa.Column('interval_months', sa.Integer(), nullable=False),
        sa.Column('next_charge_on', sa.Date(), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('customer', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('public_id'),
        sa.CheckConstraint("status IN ('active', 'paused', 'cancelled')", name='subscription_status_known'),
        sa.CheckConstraint('interval_months IN (1, 2)', name='interval_one_or_two_months'),
    )
    op.create_index('ix_subscriptions_status_next', 'subscriptions', ['status', 'next_charge_on'])
    op.create_table(
        'subscription_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.CheckConstraint('quantity BETWEEN 1 AND 99', name='subscription_quantity_in_range'),
    )
    op.create_index('ix_subscription_lines_subscription_id', 'subscription_lines', ['subscription_id'])
    op.create_table(
        'subscription_cycles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('declines', sa.Integer(), nullable=False),
        sa.Column('next_try_on', sa.Date(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('subscription_id', 'number'),
        sa.CheckConstraint("status IN ('due', 'charged', 'declined', 'skipped')", name='cycle_status_known'),
    )
    op.create_index('ix_subscription_cycles_subscription_id', 'subscription_cycles', ['subscription_id'])


def downgrade():
    op.drop_table('subscription_cycles')
    op.drop_table('subscription_lines')
    op.drop_index('ix_subscriptions_status_next', table_name='subscriptions')
    op.drop_table('subscriptions')
