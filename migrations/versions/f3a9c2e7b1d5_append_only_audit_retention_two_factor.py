"""append-only audit log, retention periods, two-factor sign-in, password resets, erased patients

Revision ID: f3a9c2e7b1d5
Revises: f3a9d6c2b7e1
Create Date: 2026-12-03 18:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f3a9c2e7b1d5'
down_revision = 'f3a9d6c2b7e1'
branch_labels = None
depends_on = None

# The same SQL as booking/models/audit_guard.py, copied so this revision never changes.
FUNCTIONS = [
    """
CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$
""",
    """
CREATE OR REPLACE FUNCTION audit_purge_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit purge record is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$
""",
    """
CREATE OR REPLACE FUNCTION audit_purge_remove() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public AS $$
DECLARE
  n integer;
BEGIN
  DELETE FROM audit_event WHERE clinic_id = NEW.clinic_id AND at < NEW.before;
  GET DIAGNOSTICS n = ROW_COUNT;
  NEW.removed := n;
  NEW.at := now();
  RETURN NEW;
END $$
""",
]
TRIGGERS = [
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()",
    "CREATE TRIGGER audit_purge_append_only BEFORE UPDATE OR DELETE ON audit_purge "
    "FOR EACH ROW EXECUTE FUNCTION audit_purge_refuse_change()",
    "CREATE TRIGGER audit_purge_no_truncate BEFORE TRUNCATE ON audit_purge "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_purge_refuse_change()",
    "CREATE TRIGGER audit_purge_removes BEFORE INSERT ON audit_purge "
    "FOR EACH ROW EXECUTE FUNCTION audit_purge_remove()",
]
DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
]
DROP_FUNCTIONS = [
    "DROP FUNCTION IF EXISTS audit_purge_remove()",
    "DROP FUNCTION IF EXISTS audit_purge_refuse_change()",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
]


def _audit_foreign_keys(clinic_rule, staff_rule):
    # audit_event is a leaf (nothing points at it), so SQLite's copy-and-move is safe here.
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint('fk_audit_event_clinic_id_clinic', type_='foreignkey')
        batch_op.drop_constraint('fk_audit_event_staff_id_staff_user', type_='foreignkey')
        batch_op.create_foreign_key('fk_audit_event_clinic_id_clinic', 'clinic', ['clinic_id'], ['id'],
                                    ondelete=clinic_rule)
        batch_op.create_foreign_key('fk_audit_event_staff_id_staff_user', 'staff_user', ['staff_id'], ['id'],
                                    ondelete=staff_rule)


def upgrade():
    op.add_column('audit_event', sa.Column('actor_name', sa.String(length=120), nullable=True))
    op.execute("UPDATE audit_event SET actor_name = "
               "(SELECT full_name FROM staff_user WHERE staff_user.id = audit_event.staff_id)")
    _audit_foreign_keys('RESTRICT', 'RESTRICT')
    op.create_table('audit_purge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('removed', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_purge'))
    )
    op.create_table('retention_policy',
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('token_days', sa.Integer(), nullable=True),
    sa.Column('message_body_days', sa.Integer(), nullable=True),
    sa.Column('closed_request_days', sa.Integer(), nullable=True),
    sa.Column('inactive_patient_years', sa.Integer(), nullable=True),
    sa.Column('audit_years', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('token_days IS NULL OR token_days >= 0', name=op.f('ck_retention_policy_token_days')),
    sa.CheckConstraint('message_body_days IS NULL OR message_body_days >= 30',
                       name=op.f('ck_retention_policy_message_body_days')),
    sa.CheckConstraint('closed_request_days IS NULL OR closed_request_days >= 30',
                       name=op.f('ck_retention_policy_closed_request_days')),
    sa.CheckConstraint('inactive_patient_years IS NULL OR inactive_patient_years >= 1',
                       name=op.f('ck_retention_policy_inactive_patient_years')),
    sa.CheckConstraint('audit_years IS NULL OR audit_years >= 1', name=op.f('ck_retention_policy_audit_years')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_retention_policy_clinic_id_clinic'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('clinic_id', name=op.f('pk_retention_policy'))
    )
    op.create_table('staff_recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_staff_recovery_code_staff_id_staff_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_recovery_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_staff_recovery_code_code_hash'))
    )
    op.create_index(op.f('ix_staff_recovery_code_staff_id'), 'staff_recovery_code', ['staff_id'], unique=False)
    op.create_table('staff_password_reset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_staff_password_reset_staff_id_staff_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_password_reset')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_password_reset_token_hash'))
    )
    op.create_index(op.f('ix_staff_password_reset_staff_id'), 'staff_password_reset', ['staff_id'], unique=False)
    op.add_column('staff_user', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.add_column('staff_user', sa.Column('totp_enabled_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('staff_user', sa.Column('totp_last_step', sa.Integer(), nullable=True))
    op.add_column('patient', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        for sql in FUNCTIONS + TRIGGERS:
            op.execute(sql)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for sql in DROP_TRIGGERS:
            op.execute(sql)
    op.drop_column('patient', 'erased_at')
    op.drop_column('staff_user', 'totp_last_step')
    op.drop_column('staff_user', 'totp_enabled_at')
    op.drop_column('staff_user', 'totp_secret')
    op.drop_index(op.f('ix_staff_password_reset_staff_id'), table_name='staff_password_reset')
    op.drop_table('staff_password_reset')
    op.drop_index(op.f('ix_staff_recovery_code_staff_id'), table_name='staff_recovery_code')
    op.drop_table('staff_recovery_code')
    op.drop_table('retention_policy')
    op.drop_table('audit_purge')  # its triggers go with it
    if op.get_bind().dialect.name == 'postgresql':
        for sql in DROP_FUNCTIONS:
            op.execute(sql)
    _audit_foreign_keys('CASCADE', 'SET NULL')
    op.drop_column('audit_event', 'actor_name')
