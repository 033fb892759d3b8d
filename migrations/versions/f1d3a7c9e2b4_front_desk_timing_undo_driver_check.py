"""the front desk's timing per clinic, when a status last changed, and "driver confirmed" only with a driver

Revision ID: f1d3a7c9e2b4
Revises: f1a2c3e4b5d6
Create Date: 2026-12-03 18:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f1d3a7c9e2b4'
down_revision = 'f1a2c3e4b5d6'
branch_labels = None
depends_on = None

DRIVER_CHECK = (
    "driver_confirmed_at IS NULL OR (driver_name <> '' AND driver_phone <> '') OR driver_confirmed_with <> ''"
)
CLINIC_COLUMNS = (
    ('arrival_window_minutes', 120, 'arrival_window', 'arrival_window_minutes BETWEEN 0 AND 480'),
    ('no_show_grace_minutes', 15, 'no_show_grace', 'no_show_grace_minutes BETWEEN 0 AND 240'),
)


def upgrade():
    # Columns are added in place on both databases (no table is rebuilt under its
    # foreign keys); on SQLite each CHECK rides on its new column's definition.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for name, default, check, sql in CLINIC_COLUMNS:
        if sqlite:
            op.execute(f"ALTER TABLE clinic ADD COLUMN {name} INTEGER DEFAULT {default} NOT NULL "
                       f"CONSTRAINT ck_clinic_{check} CHECK ({sql})")
        else:
            op.add_column('clinic', sa.Column(name, sa.Integer(), nullable=False, server_default=str(default)))
            op.create_check_constraint(op.f(f'ck_clinic_{check}'), 'clinic', sql)
    op.add_column('appointment', sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True))
    # "Driver confirmed" ticked above empty driver fields was the defect: those ticks
    # said nothing true, so they are cleared and the front desk confirms them again.
    op.execute("UPDATE appointment SET driver_confirmed_at = NULL "
               "WHERE driver_confirmed_at IS NOT NULL AND (driver_name = '' OR driver_phone = '')")
    if sqlite:
        op.execute("ALTER TABLE appointment ADD COLUMN driver_confirmed_with VARCHAR(120) DEFAULT '' NOT NULL "
                   f"CONSTRAINT ck_appointment_driver_confirmed CHECK ({DRIVER_CHECK})")
    else:
        op.add_column('appointment', sa.Column('driver_confirmed_with', sa.String(120), nullable=False,
                                               server_default=''))
        op.create_check_constraint(op.f('ck_appointment_driver_confirmed'), 'appointment', DRIVER_CHECK)


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if not sqlite:
        op.drop_constraint(op.f('ck_appointment_driver_confirmed'), 'appointment', type_='check')
    # A driver confirmed only "by phone with" someone keeps that name as the driver's.
    op.execute("UPDATE appointment SET driver_name = driver_confirmed_with "
               "WHERE driver_confirmed_with <> '' AND driver_name = ''")
    op.drop_column('appointment', 'driver_confirmed_with')
    op.drop_column('appointment', 'status_changed_at')
    for name, _, check, _ in CLINIC_COLUMNS:
        if not sqlite:
            op.drop_constraint(op.f(f'ck_clinic_{check}'), 'clinic', type_='check')
        op.drop_column('clinic', name)
