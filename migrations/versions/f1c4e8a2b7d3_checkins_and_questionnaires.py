"""pre-visit check-ins, questionnaire responses, per-service instruments, check-in settings

Revision ID: f1c4e8a2b7d3
Revises: f3a9c2e7b1d5
Create Date: 2026-12-03 19:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f1c4e8a2b7d3'
down_revision = 'f3a9c2e7b1d5'
branch_labels = None
depends_on = None

# New tables only: nothing existing is rebuilt, so both databases go up and down in place.


def upgrade():
    op.create_table(
        'checkin',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('clinic_id', sa.Integer(), nullable=False),
        sa.Column('appointment_id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('language', sa.String(8), nullable=False),
        sa.Column('fasting_confirmed', sa.Boolean(), nullable=False),
        sa.Column('driver_name', sa.String(120), nullable=False),
        sa.Column('driver_phone', sa.String(20), nullable=False),
        sa.Column('driver_confirmed', sa.Boolean(), nullable=False),
        sa.Column('medication_change', sa.Text(), nullable=False),
        sa.Column('self_harm', sa.Boolean(), nullable=False),
        sa.Column('needs_clinician', sa.Boolean(), nullable=False),
        sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
        sa.Column('is_current', sa.Boolean(), nullable=False),
        sa.Column('superseded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('NOT is_current OR superseded_by_id IS NULL', name=op.f('ck_checkin_current')),
        sa.CheckConstraint('length(medication_change) <= 2000', name=op.f('ck_checkin_medication_change')),
        sa.CheckConstraint('NOT self_harm OR needs_clinician', name=op.f('ck_checkin_self_harm_needs_clinician')),
        sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_checkin_clinic_id_clinic'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_checkin_appointment_id_appointment'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['clinic_id', 'patient_id'], ['patient.clinic_id', 'patient.id'],
                                name=op.f('fk_checkin_clinic_id_patient_id_patient'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['acknowledged_by_id'], ['staff_user.id'],
                                name=op.f('fk_checkin_acknowledged_by_id_staff_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['superseded_by_id'], ['checkin.id'], name=op.f('fk_checkin_superseded_by_id_checkin')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin')),
    )
    op.create_index('uq_checkin_current', 'checkin', ['appointment_id'], unique=True,
                    sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
    op.create_index('ix_checkin_clinic_flagged', 'checkin', ['clinic_id', 'needs_clinician', 'acknowledged_at'])
    op.create_index('ix_checkin_patient', 'checkin', ['clinic_id', 'patient_id'])
    op.create_table(
        'questionnaire_response',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('clinic_id', sa.Integer(), nullable=False),
        sa.Column('checkin_id', sa.Integer(), nullable=False),
        sa.Column('instrument', sa.Enum('phq9', 'gad7', 'pcl5', 'pain', name='instrument', native_enum=False,
                                        create_constraint=True, length=16), nullable=False),
        sa.Column('version', sa.String(32), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('band', sa.String(60), nullable=True),
        sa.CheckConstraint('total >= 0', name=op.f('ck_questionnaire_response_total')),
        sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_questionnaire_response_clinic_id_clinic'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['checkin_id'], ['checkin.id'], name=op.f('fk_questionnaire_response_checkin_id_checkin'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_response')),
        sa.UniqueConstraint('checkin_id', 'instrument', name=op.f('uq_questionnaire_response_checkin_id_instrument')),
    )
    op.create_index(op.f('ix_questionnaire_response_clinic_id'), 'questionnaire_response', ['clinic_id'])
    op.create_table(
        'service_questionnaire',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('clinic_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('instrument', sa.Enum('phq9', 'gad7', 'pcl5', 'pain', name='service_instrument', native_enum=False,
                                        create_constraint=True, length=16), nullable=False),
        sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_service_questionnaire_clinic_id_clinic'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['clinic_id', 'service_id'], ['service.clinic_id', 'service.id'],
                                name=op.f('fk_service_questionnaire_clinic_id_service_id_service'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_service_questionnaire')),
        sa.UniqueConstraint('service_id', 'instrument', name=op.f('uq_service_questionnaire_service_id_instrument')),
    )
    op.create_index(op.f('ix_service_questionnaire_clinic_id'), 'service_questionnaire', ['clinic_id'])
    op.create_table(
        'checkin_settings',
        sa.Column('clinic_id', sa.Integer(), nullable=False),
        sa.Column('opens_hours_before', sa.Integer(), nullable=False),
        sa.CheckConstraint('opens_hours_before BETWEEN 1 AND 168', name=op.f('ck_checkin_settings_opens_hours')),
        sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_checkin_settings_clinic_id_clinic'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('clinic_id', name=op.f('pk_checkin_settings')),
    )


def downgrade():
    op.drop_table('checkin_settings')
    op.drop_index(op.f('ix_service_questionnaire_clinic_id'), table_name='service_questionnaire')
    op.drop_table('service_questionnaire')
    op.drop_index(op.f('ix_questionnaire_response_clinic_id'), table_name='questionnaire_response')
    op.drop_table('questionnaire_response')
    op.drop_index('ix_checkin_patient', table_name='checkin')
    op.drop_index('ix_checkin_clinic_flagged', table_name='checkin')
    op.drop_index('uq_checkin_current', table_name='checkin')
    op.drop_table('checkin')
