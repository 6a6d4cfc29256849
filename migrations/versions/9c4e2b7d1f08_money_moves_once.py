"""Money moves once: a 定期便 cycle counts the charges it sent (each try its own Idempotency-Key, whatever a
resume resets) and keeps the prices its notice announced (the charge takes none higher)

Revision ID: 9c4e2b7d1f08
Revises: f6a2c8e4b1d3
Create Date: 2026-12-06 00:20:00

Plain ADD COLUMNs, as in f6a2c8e4b1d3. Every try so far counted as a decline, so `attempts` starts there.
"""
from alembic import op
import sqlalchemy as sa


revision = '9c4e2b7d1f08'
down_revision = 'f6a2c8e4b1d3'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('subscription_cycles', sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('subscription_cycles', sa.Column('quoted_prices', sa.JSON(), nullable=True))
    op.execute("UPDATE subscription_cycles SET attempts = declines")


def downgrade():
    with op.batch_alter_table('subscription_cycles') as batch_op:
        batch_op.drop_column('quoted_prices')
        batch_op.drop_column('attempts')
