"""the language a request was made in and a patient is written to in

Revision ID: e5b8c3a1d2f4
Revises: c7e2a9d4f1b3
Create Date: 2026-12-03 13:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5b8c3a1d2f4'
down_revision = 'c7e2a9d4f1b3'
branch_labels = None
depends_on = None


def _language(name):
    return sa.Enum('en', 'es', name=name, native_enum=False, create_constraint=True, length=8)


def upgrade():
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', _language('patient_language'), nullable=False, server_default='en'))
    with op.batch_alter_table('consultation_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', _language('request_language'), nullable=False, server_default='en'))
    # The default only filled existing rows; the app always sets the column.
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.alter_column('language', server_default=None)
    with op.batch_alter_table('consultation_request', schema=None) as batch_op:
        batch_op.alter_column('language', server_default=None)


def downgrade():
    with op.batch_alter_table('consultation_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_consultation_request_request_language'), type_='check')
        batch_op.drop_column('language')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_patient_patient_language'), type_='check')
        batch_op.drop_column('language')
