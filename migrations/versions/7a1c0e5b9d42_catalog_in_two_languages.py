"""catalog in two languages, and the language of each order

The existing English names and descriptions become the `_en` columns; the Japanese ones start empty and
are filled by `flask seed` (until then the shop falls back to English, never to an empty name).
Orders placed before this change were placed in English.

Revision ID: 7a1c0e5b9d42
Revises: 3d960ab770f7
Create Date: 2026-11-25 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7a1c0e5b9d42'
down_revision = '3d960ab770f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.alter_column('name', new_column_name='name_en', existing_type=sa.String(length=120),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('name_ja', sa.String(length=120), nullable=False, server_default=''))

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.alter_column('name', new_column_name='name_en', existing_type=sa.String(length=120),
                              existing_nullable=False)
        batch_op.alter_column('description', new_column_name='description_en', existing_type=sa.Text(),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('name_ja', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('description_ja', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=5), nullable=False, server_default='en'))


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('locale')

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('description_ja')
        batch_op.drop_column('name_ja')
        batch_op.alter_column('description_en', new_column_name='description', existing_type=sa.Text(),
                              existing_nullable=False)
        batch_op.alter_column('name_en', new_column_name='name', existing_type=sa.String(length=120),
                              existing_nullable=False)

    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_column('name_ja')
        batch_op.alter_column('name_en', new_column_name='name', existing_type=sa.String(length=120),
                              existing_nullable=False)
