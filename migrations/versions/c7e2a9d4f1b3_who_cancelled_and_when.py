"""who cancelled an appointment and when, as columns

Revision ID: c7e2a9d4f1b3
Revises: a117e7454479
Create Date: 2026-12-03 13:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c7e2a9d4f1b3'
down_revision = 'a117e7454479'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column(
            'cancelled_by',
            sa.Enum('staff', 'patient', name='canceller', native_enum=False, create_constraint=True, length=24),
            nullable=True,
        ))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_appointment_cancelled_by_id_staff_user'), 'staff_user', ['cancelled_by_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_index('ix_appointment_clinic_cancelled', ['clinic_id', 'cancelled_at'], unique=False)

    # Until now the audit log was the only record of who cancelled and when.
    op.execute("""
        UPDATE appointment SET
            cancelled_by = CASE WHEN EXISTS (
                SELECT 1 FROM audit_event e WHERE e.entity = 'appointment' AND e.entity_id = appointment.id
                AND e.action = 'appointment_cancelled_by_patient') THEN 'patient' ELSE 'staff' END,
            cancelled_at = COALESCE((
                SELECT MAX(e.at) FROM audit_event e WHERE e.entity = 'appointment' AND e.entity_id = appointment.id
                AND e.action IN ('appointment_cancelled', 'appointment_cancelled_by_patient')), updated_at),
            cancelled_by_id = (
                SELECT MAX(e.staff_id) FROM audit_event e WHERE e.entity = 'appointment' AND e.entity_id = appointment.id
                AND e.action = 'appointment_cancelled')
        WHERE status = 'cancelled'
    """)


def downgrade():
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('ix_appointment_clinic_cancelled')
        batch_op.drop_constraint(batch_op.f('fk_appointment_cancelled_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_constraint(batch_op.f('ck_appointment_canceller'), type_='check')
        batch_op.drop_column('cancelled_by')
        batch_op.drop_column('cancelled_at')
