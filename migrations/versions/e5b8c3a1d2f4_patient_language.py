"""the language a request was made in and a patient is written to in

Revision ID: e5b8c3a1d2f4
Revises: e4b7c2d9a8f1
Create Date: 2026-12-03 13:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5b8c3a1d2f4'
down_revision = 'e4b7c2d9a8f1'
branch_labels = None
depends_on = None

# Plain columns (no CHECK, like other growing vocabularies), so both databases
# add and drop them in place: no table is rebuilt under its foreign keys.
TABLES = ('patient', 'consultation_request')


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column('language', sa.String(8), nullable=False, server_default='en'))


def downgrade():
    for table in TABLES:
        op.drop_column(table, 'language')
