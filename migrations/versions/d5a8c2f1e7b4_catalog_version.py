"""catalog version: a value that changes, in the same transaction, whenever a product or a category does

The shop's pages remember what they read from the catalog (storefront/shop/reads.py) and check this one value
first. Triggers keep it true whoever changes the catalog: the app, `flask seed`, or SQL typed by hand.

On SQLite, a later migration that rebuilds `products` or `categories` in batch mode drops their triggers with
the old table: it must create them again, as upgrade() does here.

Revision ID: d5a8c2f1e7b4
Revises: c3e9a7d15b20
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd5a8c2f1e7b4'
down_revision = 'c3e9a7d15b20'
branch_labels = None
depends_on = None

TABLES = ('products', 'categories')
# A new random value on each change (an upsert, so the row comes back if someone emptied the table).
SQLITE_BUMP = ("INSERT INTO catalog_versions (id, version) VALUES (1, lower(hex(randomblob(16)))) "
               "ON CONFLICT (id) DO UPDATE SET version = excluded.version;")
POSTGRESQL_FUNCTION = """
CREATE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog_versions (id, version) VALUES (1, md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (id) DO UPDATE SET version = excluded.version;
    RETURN NULL;
END $$"""


def upgrade():
    op.create_table(
        'catalog_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_FUNCTION)
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed()")
        op.execute("INSERT INTO catalog_versions (id, version) VALUES (1, md5(random()::text))")
    else:
        for table in TABLES:
            for event in ('INSERT', 'UPDATE', 'DELETE'):
                op.execute(f"CREATE TRIGGER {table}_{event.lower()}_changed AFTER {event} ON {table} "
                           f"BEGIN {SQLITE_BUMP} END")
        op.execute("INSERT INTO catalog_versions (id, version) VALUES (1, lower(hex(randomblob(16))))")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_changed ON {table}")
        op.execute("DROP FUNCTION catalog_changed()")
    else:
        for table in TABLES:
            for event in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER {table}_{event}_changed")
    op.drop_table('catalog_versions')
