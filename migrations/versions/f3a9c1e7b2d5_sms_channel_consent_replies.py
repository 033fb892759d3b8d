"""texts: a channel on the outbox, SMS consent and opt-outs, replies received, message settings

Revision ID: f3a9c1e7b2d5
Revises: f1c4e8a2b7d3
Create Date: 2026-12-03 18:50:00

"""
from alembic import op
import sqlalchemy as sa



revision = 'f3a9c1e7b2d5'
down_revision = 'f1c4e8a2b7d3'
branch_labels = None
depends_on = None

# Plain added columns with defaults (no CHECK), so both databases add and drop them in
# place: neither outbox_message nor appointment is rebuilt under its foreign keys.
OUTBOX_COLUMNS = (
    ('channel', sa.String(8), 'email'),
    ('provider', sa.String(16), ''),
    ('delivery_status', sa.String(16), ''),
    ('delivery_error', sa.String(16), ''),
)
CHANNEL_CHOICES = "('email', 'sms', 'both')"


def upgrade():
    for name, type_, default in OUTBOX_COLUMNS:
        op.add_column('outbox_message', sa.Column(name, type_, nullable=False, server_default=default))
    op.add_column('outbox_message', sa.Column('provider_message_id', sa.String(64), nullable=True))
    op.create_index('uq_outbox_message_provider_message_id', 'outbox_message', ['provider_message_id'], unique=True)
    op.add_column('appointment', sa.Column('ready_confirmed_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        'sms_consent',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('clinic_id', sa.Integer(), sa.ForeignKey('clinic.id', ondelete='CASCADE',
                  name='fk_sms_consent_clinic_id_clinic'), nullable=False),
        sa.Column('phone', sa.String(20), nullable=False),
        sa.Column('text_version', sa.String(20), nullable=False),
        sa.Column('source', sa.String(20), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_sms_consent'),
    )
    op.create_index('ix_sms_consent_clinic_phone', 'sms_consent', ['clinic_id', 'phone'])
    op.create_table(
        'sms_opt_out',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('clinic_id', sa.Integer(), sa.ForeignKey('clinic.id', ondelete='CASCADE',
                  name='fk_sms_opt_out_clinic_id_clinic'), nullable=False),
        sa.Column('phone', sa.String(20), nullable=False),
        sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_sms_opt_out'),
        sa.UniqueConstraint('clinic_id', 'phone', name='uq_sms_opt_out_clinic_id_phone'),
    )
    op.create_table(
        'sms_inbound',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('clinic_id', sa.Integer(), sa.ForeignKey('clinic.id', ondelete='CASCADE',
                  name='fk_sms_inbound_clinic_id_clinic'), nullable=False),
        sa.Column('provider_message_id', sa.String(64), nullable=False),
        sa.Column('phone', sa.String(20), nullable=False),
        sa.Column('body', sa.String(1600), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('patient_id', sa.Integer(), sa.ForeignKey('patient.id', ondelete='SET NULL',
                  name='fk_sms_inbound_patient_id_patient'), nullable=True),
        sa.Column('appointment_id', sa.Integer(), sa.ForeignKey('appointment.id', ondelete='SET NULL',
                  name='fk_sms_inbound_appointment_id_appointment'), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_sms_inbound'),
        sa.UniqueConstraint('provider_message_id', name='uq_sms_inbound_provider_message_id'),
    )
    op.create_index('ix_sms_inbound_clinic_received', 'sms_inbound', ['clinic_id', 'received_at'])
    op.create_table(
        'clinic_messaging',
        sa.Column('clinic_id', sa.Integer(), sa.ForeignKey('clinic.id', ondelete='CASCADE',
                  name='fk_clinic_messaging_clinic_id_clinic'), nullable=False),
        sa.Column('reminder_prep', sa.String(8), nullable=False),
        sa.Column('reminder_evening', sa.String(8), nullable=False),
        sa.Column('reminder_final', sa.String(8), nullable=False),
        sa.Column('quiet_start', sa.Time(), nullable=False),
        sa.Column('quiet_end', sa.Time(), nullable=False),
        sa.Column('quiet_exempt_hours', sa.Integer(), nullable=False),
        sa.Column('readiness_call_at', sa.Time(), nullable=False),
        sa.PrimaryKeyConstraint('clinic_id', name='pk_clinic_messaging'),
        sa.CheckConstraint('quiet_exempt_hours BETWEEN 0 AND 24', name='ck_clinic_messaging_quiet_exempt'),
        sa.CheckConstraint(f'reminder_prep IN {CHANNEL_CHOICES}', name='ck_clinic_messaging_reminder_prep_channels'),
        sa.CheckConstraint(f'reminder_evening IN {CHANNEL_CHOICES}',
                           name='ck_clinic_messaging_reminder_evening_channels'),
        sa.CheckConstraint(f'reminder_final IN {CHANNEL_CHOICES}', name='ck_clinic_messaging_reminder_final_channels'),
    )


def downgrade():
    op.drop_table('clinic_messaging')
    op.drop_index('ix_sms_inbound_clinic_received', table_name='sms_inbound')
    op.drop_table('sms_inbound')
    op.drop_table('sms_opt_out')
    op.drop_index('ix_sms_consent_clinic_phone', table_name='sms_consent')
    op.drop_table('sms_consent')
    op.drop_column('appointment', 'ready_confirmed_at')
    op.drop_index('uq_outbox_message_provider_message_id', table_name='outbox_message')
    op.drop_column('outbox_message', 'provider_message_id')
    for name, _, _ in reversed(OUTBOX_COLUMNS):
        op.drop_column('outbox_message', name)
