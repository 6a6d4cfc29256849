"""request ids in the API and webhook logs

Revision ID: b8d2f4a61c03
Revises: 7a1c0e5b9d42
Create Date: 2026-11-25 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b8d2f4a61c03'
down_revision = '7a1c0e5b9d42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=64), nullable=False, server_default=''))
    with op.batch_alter_table('webhook_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=64), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('webhook_events', schema=None) as batch_op:
        batch_op.drop_column('request_id')
    with op.batch_alter_table('api_calls', schema=None) as batch_op:
        batch_op.drop_column('request_id')
