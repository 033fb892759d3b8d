"""Two-factor sign-in: TOTP (RFC 6238, 30-second steps, 6 digits) and single-use recovery codes."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from sqlalchemy import select

from booking.extensions import db
from booking.models import RecoveryCode, Role, StaffUser, utcnow

ISSUER = "Clinic bookings"
RECOVERY_CODES = 10
# One step either side: a phone's clock a little off still works.
VALID_WINDOW = 1


def new_secret() -> str:
    """A fresh base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(user: StaffUser, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code as an inline SVG image (no request leaves the page; CSP allows data: images)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def _normalise(code: str) -> str:
    return "".join(ch for ch in code if ch.isalnum()).lower()


def check_code(secret: str, code: str, last_step: int | None, at: float | None = None) -> int | None:
    """The time step `code` matches (never one at or before `last_step`: no replay), or None."""
    digits = _normalise(code)
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    step = int(now // totp.interval)
    for candidate in range(step - VALID_WINDOW, step + VALID_WINDOW + 1):
        if last_step is not None and candidate <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(candidate), digits):
            return candidate
    return None


def verify(user: StaffUser, code: str) -> bool:
    """Check a code for a user with two-factor on, and burn its time step."""
    if not user.two_factor_on or user.totp_secret is None:
        return False
    step = check_code(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def new_recovery_codes(user: StaffUser) -> list[str]:
    """Replace the user's recovery codes with fresh ones; only their hashes are kept."""
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.staff_id == user.id)):
        db.session.delete(old)
    db.session.flush()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(staff_id=user.id, code_hash=_hash(code)) for code in codes)
    return codes


def use_recovery_code(user: StaffUser, code: str) -> bool:
    """Spend one unused recovery code; False if it is unknown or spent."""
    if len(_normalise(code)) != 12:
        return False
    row = db.session.scalar(
        select(RecoveryCode)
        .where(RecoveryCode.staff_id == user.id, RecoveryCode.code_hash == _hash(code),
               RecoveryCode.used_at.is_(None))
        .with_for_update()
    )
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def recovery_codes_left(user: StaffUser) -> int:
    """How many unused recovery codes the user has."""
    return len(db.session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.staff_id == user.id, RecoveryCode.used_at.is_(None))
    ).all())


def required_for(user: StaffUser, admins_required: bool) -> bool:
    """Whether this user must have two-factor on: admins anywhere, when the setting says so."""
    return admins_required and any(m.role is Role.ADMIN for m in user.memberships)
