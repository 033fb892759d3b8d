"""the request form's one-time key, unique per clinic

Revision ID: d4b8f2a61c95
Revises: c7e2a9d4f1b3
Create Date: 2026-12-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd4b8f2a61c95'
down_revision = 'c7e2a9d4f1b3'
branch_labels = None
depends_on = None


def upgrade():
    # Existing requests keep NULL: NULLs never collide in a unique constraint.
    with op.batch_alter_table('consultation_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_key', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_consultation_request_clinic_id_form_key'), ['clinic_id', 'form_key']
        )


def downgrade():
    with op.batch_alter_table('consultation_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_consultation_request_clinic_id_form_key'), type_='unique')
        batch_op.drop_column('form_key')
