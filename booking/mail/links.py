"""Making a secret link (a patient's page, a staff password reset) when the message carrying it is sent."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from booking.domain.manage_links import link_expiry, token_hash
from booking.extensions import db
from booking.models import Appointment, ManageToken, PasswordReset


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


RESET_URL_PLACEHOLDER = "__RESET_URL__"
RESET_VALID = timedelta(hours=1)


def issue_reset_token(staff_id: int, requested_at: datetime, now: datetime) -> str:
    """A new 256-bit password reset token, valid an hour from the request; only its SHA-256 is stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(staff_id=staff_id, token_hash=token_hash(token), created_at=now,
                                 expires_at=requested_at + RESET_VALID))
    return token


def reset_staff_id(dedupe_key: str) -> int:
    """The staff member a reset message is for: its key is "staff_password_reset:<staff id>:<nonce>"."""
    return int(dedupe_key.split(":")[1])
