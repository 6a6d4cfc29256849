"""webhook results as codes with details, labelled in the reader's language

Revision ID: b6e1d3a8c5f2
Revises: f2b7c4d9e1a3
Create Date: 2026-12-02 14:00:00

Rows written before this keep their meaning: the sentences the shop used to write become codes and details.
A sentence this does not recognise stays as it was, and the admin shows it as recorded.
"""
import re

from alembic import op
import sqlalchemy as sa


revision = 'b6e1d3a8c5f2'
down_revision = 'f2b7c4d9e1a3'
branch_labels = None
depends_on = None

FIXED = {'stored; no action for this event type': 'no_action',
         'refused: unknown subscription id': 'unknown_subscription',
         'refused: timestamp missing or outside the allowed window': 'stale_timestamp',
         'refused: signature does not match': 'bad_signature',
         'refused: the body is not a Smartpay event': 'not_an_event'}
MOVED = re.compile(r'order (?P<order>\S+): (?P<from>[a-z_]+) → (?P<to>[a-z_]+)')
UNKNOWN = re.compile(r'no order of this shop has Smartpay id (?P<id>\S+)')


def upgrade():
    with op.batch_alter_table('webhook_events') as batch_op:
        batch_op.add_column(sa.Column('result_detail', sa.JSON(), nullable=True))
    connection = op.get_bind()
    for sentence, code in FIXED.items():
        connection.execute(sa.text("UPDATE webhook_events SET result = :code WHERE result = :sentence"),
                           {"code": code, "sentence": sentence})
    rows = connection.execute(sa.text("SELECT id, result FROM webhook_events WHERE result LIKE 'order %' "
                                      "OR result LIKE 'no order of this shop%'")).all()
    for row_id, result in rows:
        moved, unknown = MOVED.fullmatch(result), UNKNOWN.fullmatch(result)
        if moved:
            code, detail = ('order_mismatch', {"order": moved['order']}) if moved['to'] == 'mismatch' else \
                ('order_checked', moved.groupdict())
        elif unknown:
            code, detail = 'unknown_order', unknown.groupdict()
        else:
            continue
        update = sa.text("UPDATE webhook_events SET result = :code, result_detail = :detail WHERE id = :id")
        connection.execute(update.bindparams(sa.bindparam("detail", type_=sa.JSON())),
                           {"code": code, "detail": detail, "id": row_id})


def downgrade():
    with op.batch_alter_table('webhook_events') as batch_op:
        batch_op.drop_column('result_detail')
