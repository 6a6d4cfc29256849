"""Tax by rate: each product's consumption-tax rate (the teas 8 %, 軽減税率), copied to its order lines; the rate
a refund reduces; how many 領収書 an order has had (a second one is marked 再発行)

Revision ID: 7e3a9c1d5b42
Revises: 2b5d9f3a7c61
Create Date: 2026-12-06 05:00:00

Lines of orders placed before keep their product's rate; a line whose product is gone stays at 10 %.
"""
from alembic import op
import sqlalchemy as sa


revision = '7e3a9c1d5b42'
down_revision = '2b5d9f3a7c61'
branch_labels = None
depends_on = None


def upgrade():
    # Not a batch: on SQLite that rebuilds the table and loses the catalog-version triggers (d5a8c2f1e7b4). The rate
    # is checked where products are written (storefront/cli.py), as their other fields are.
    op.add_column('products', sa.Column('tax_rate', sa.Integer(), nullable=False, server_default='10'))
    op.execute("UPDATE products SET tax_rate = 8 WHERE category_id IN (SELECT id FROM categories WHERE slug = 'tea')")
    with op.batch_alter_table('order_lines') as batch_op:
        batch_op.add_column(sa.Column('tax_rate', sa.Integer(), nullable=False, server_default='10'))
    op.execute("UPDATE order_lines SET tax_rate = (SELECT tax_rate FROM products WHERE products.id = "
               "order_lines.product_id) WHERE product_id IS NOT NULL")
    for table in ('refunds', 'bank_transfer_entries'):
        op.add_column(table, sa.Column('tax_rate', sa.Integer(), nullable=True))
    with op.batch_alter_table('orders') as batch_op:
        batch_op.add_column(sa.Column('receipts_issued', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('orders') as batch_op:
        batch_op.drop_column('receipts_issued')
    for table in ('refunds', 'bank_transfer_entries'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('tax_rate')
    with op.batch_alter_table('order_lines') as batch_op:
        batch_op.drop_column('tax_rate')
    op.drop_column('products', 'tax_rate')
