"""Making a patient's secret link when a message carrying it is sent."""
from __future__ import annotations

import secrets
from datetime import datetime

from booking.domain.manage_links import link_expiry, token_hash
from booking.extensions import db
from booking.models import Appointment, ManageToken


def issue_token(appointment: Appointment, now: datetime) -> str:
    """A new 256-bit token for `appointment`; only its SHA-256 is stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        ManageToken(
            clinic_id=appointment.clinic_id,
            appointment_id=appointment.id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=link_expiry(appointment.blocked_until),
        )
    )
    return token
