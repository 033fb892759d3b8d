"""booking keys: unique per clinic, stored with what they stand for

Revision ID: e4b7c2d9a8f1
Revises: d4b8f2a61c95
Create Date: 2026-12-04 10:15:00

"""
import hashlib
from datetime import timezone

from alembic import op
import sqlalchemy as sa


revision = 'e4b7c2d9a8f1'
down_revision = 'd4b8f2a61c95'
branch_labels = None
depends_on = None

appointment = sa.table(
    'appointment',
    sa.column('id', sa.Integer()),
    sa.column('clinic_id', sa.Integer()),
    sa.column('patient_id', sa.Integer()),
    sa.column('service_id', sa.Integer()),
    sa.column('starts_at', sa.DateTime(timezone=True)),
    sa.column('request_id', sa.Integer()),
    sa.column('idempotency_key', sa.String(64)),
    sa.column('idempotency_fingerprint', sa.String(64)),
)


def _fingerprint(clinic_id, patient_id, service_id, start, request_id):
    # A frozen copy of booking.domain.booking_keys.booking_fingerprint ("booking-v1"),
    # so this revision computes the same whatever that code becomes. The chair is
    # the one asked for, and the dashboard's forms never asked for one.
    if start.tzinfo is None:  # SQLite keeps naive UTC
        start = start.replace(tzinfo=timezone.utc)
    parts = ('booking-v1', clinic_id, patient_id, service_id, start.astimezone(timezone.utc).isoformat(), None,
             request_id)
    return hashlib.sha256('|'.join('-' if p is None else str(p) for p in parts).encode()).hexdigest()


def upgrade():
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_fingerprint', sa.String(length=64), nullable=True))

    # Keys already used stand for the booking they made. A visit moved since then
    # gets its original start wrong: a late repeat of its form is refused, never booked twice.
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(appointment.c.id, appointment.c.clinic_id, appointment.c.patient_id, appointment.c.service_id,
                  appointment.c.starts_at, appointment.c.request_id)
        .where(appointment.c.idempotency_key.is_not(None))
    ).all()
    for row in rows:
        bind.execute(
            appointment.update().where(appointment.c.id == row.id).values(
                idempotency_fingerprint=_fingerprint(row.clinic_id, row.patient_id, row.service_id, row.starts_at,
                                                     row.request_id)
            )
        )

    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_appointment_idempotency_key'), type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_appointment_clinic_id_idempotency_key'), ['clinic_id', 'idempotency_key']
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_appointment_key_fingerprint'),
            '(idempotency_key IS NULL) = (idempotency_fingerprint IS NULL)',
        )


def downgrade():
    # Keys unique across all clinics again: a key two clinics both used stays with the first.
    first = (
        sa.select(sa.func.min(appointment.c.id))
        .where(appointment.c.idempotency_key.is_not(None))
        .group_by(appointment.c.idempotency_key)
    )
    op.get_bind().execute(
        appointment.update()
        .where(appointment.c.idempotency_key.is_not(None), appointment.c.id.not_in(first))
        .values(idempotency_key=None, idempotency_fingerprint=None)
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_appointment_key_fingerprint'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_appointment_clinic_id_idempotency_key'), type_='unique')
        batch_op.drop_column('idempotency_fingerprint')
        batch_op.create_unique_constraint(batch_op.f('uq_appointment_idempotency_key'), ['idempotency_key'])
