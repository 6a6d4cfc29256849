"""振込番号: eight digits a bank transfer's sender types before their name (ATMs refuse the order number's letters
and hyphen); the sender line the merchant read off the statement when recording a transfer

Revision ID: 8f4b2d6e1a93
Revises: 7e3a9c1d5b42
Create Date: 2026-12-06 05:10:00

Bank transfer orders placed before get a number too, so that every order the admin shows has one.
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '8f4b2d6e1a93'
down_revision = '7e3a9c1d5b42'
branch_labels = None
depends_on = None


def upgrade():
    numbers = op.create_table(
        'bank_transfer_numbers',
        sa.Column('order_id', sa.Integer(), sa.ForeignKey('orders.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('number', sa.String(length=8), nullable=False, unique=True))
    op.add_column('bank_transfer_entries', sa.Column('sender', sa.String(length=100), nullable=False,
                                                     server_default=''))
    order_ids = op.get_bind().execute(sa.text("SELECT id FROM orders WHERE payment_method = 'bank_transfer'")).scalars()
    drawn = set()
    rows = []
    for order_id in order_ids:
        number = f"{secrets.randbelow(10 ** 8):08d}"
        while number in drawn:
            number = f"{secrets.randbelow(10 ** 8):08d}"
        drawn.add(number)
        rows.append({"order_id": order_id, "number": number})
    if rows:
        op.bulk_insert(numbers, rows)


def downgrade():
    with op.batch_alter_table('bank_transfer_entries') as batch_op:
        batch_op.drop_column('sender')
    op.drop_table('bank_transfer_numbers')
