"""order email outbox

Revision ID: c3e9a7d15b20
Revises: b8d2f4a61c03
Create Date: 2026-11-25 13:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c3e9a7d15b20'
down_revision = 'b8d2f4a61c03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outbox_emails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('event_key', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('text_body', sa.Text(), nullable=False),
        sa.Column('html_body', sa.Text(), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_key'),
        sa.UniqueConstraint('public_id'),
    )
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_emails_order_id', ['order_id'], unique=False)
        batch_op.create_index('ix_outbox_emails_status', ['status'], unique=False)
        batch_op.create_index('ix_outbox_emails_next_attempt_at', ['next_attempt_at'], unique=False)


def downgrade():
    op.drop_table('outbox_emails')
