"""names folded for the one search box (pg_trgm trigram indexes on PostgreSQL)

Revision ID: f3a9d6c2b7e1
Revises: f1d3a7c9e2b4
Create Date: 2026-12-03 18:50:00

"""
from alembic import op
import sqlalchemy as sa

from booking.folding import fold


revision = 'f3a9d6c2b7e1'
down_revision = 'f1d3a7c9e2b4'
branch_labels = None
depends_on = None

TABLES = ('patient', 'consultation_request')


def upgrade():
    bind = op.get_bind()
    postgres = bind.dialect.name == 'postgresql'
    if postgres:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for table in TABLES:
        # A plain added column: both databases add it in place, no table is rebuilt.
        op.add_column(table, sa.Column('search_name', sa.String(120), nullable=False, server_default=''))
        rows = sa.table(table, sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                        sa.column('search_name', sa.String))
        for row_id, name in bind.execute(sa.select(rows.c.id, rows.c.full_name)).all():
            bind.execute(rows.update().where(rows.c.id == row_id).values(search_name=fold(name or '')[:120]))
        if postgres:
            op.create_index(f'ix_{table}_search_name', table, ['search_name'], postgresql_using='gin',
                            postgresql_ops={'search_name': 'gin_trgm_ops'})
        else:
            op.create_index(f'ix_{table}_search_name', table, ['search_name'])


def downgrade():
    for table in TABLES:
        op.drop_index(f'ix_{table}_search_name', table_name=table)
        op.drop_column(table, 'search_name')
    # The extension stays: dropping it could break anything else that uses it.
