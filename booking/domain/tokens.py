"""Secret links to a patient's appointment page: random tokens, stored only as hashes."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.models import Appointment, ManageToken

# A link keeps working until a day after the appointment (and its recovery) ends.
VALID_AFTER_APPOINTMENT = timedelta(days=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(appointment: Appointment, now: datetime) -> str:
    """A new 256-bit token for `appointment`; only its SHA-256 is stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        ManageToken(
            clinic_id=appointment.clinic_id,
            appointment_id=appointment.id,
            token_hash=_hash(token),
            created_at=now,
            expires_at=appointment.blocked_until + VALID_AFTER_APPOINTMENT,
        )
    )
    return token


def appointment_for_token(token: str, now: datetime) -> Appointment | None:
    """The appointment a valid, unexpired token opens; None for anything else."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(ManageToken).where(ManageToken.token_hash == _hash(token)))
    if row is None or row.expires_at <= now:
        return None
    appointment = db.session.get(Appointment, row.appointment_id)
    if appointment is None or appointment.clinic_id != row.clinic_id:
        return None
    # A moved appointment keeps its links valid until it is over.
    if appointment.blocked_until + VALID_AFTER_APPOINTMENT <= now:
        return None
    return appointment
