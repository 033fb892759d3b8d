"""Staff accounts' own emails: a password reset link, a sign-in from a new browser; resetting."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from booking.domain.manage_links import token_hash
from booking.extensions import db
from booking.mail.links import RESET_URL_PLACEHOLDER
from booking.mail.outbox import enqueue
from booking.models import AuditAction, Clinic, Language, MessageKind, PasswordReset, StaffUser
from booking.operations import audit

MIN_PASSWORD_LENGTH = 12


def _home_clinic(user: StaffUser) -> Clinic:
    # The email comes from one of the staff member's clinics (its name and sender address).
    return user.memberships[0].clinic


def queue_password_reset(user: StaffUser, now: datetime) -> None:
    """An email with a reset link; the link's token is made when it is sent (never stored in clear)."""
    enqueue(
        _home_clinic(user), kind=MessageKind.STAFF_PASSWORD_RESET,
        dedupe_key=MessageKind.STAFF_PASSWORD_RESET.dedupe_key(user.id, secrets.token_hex(8)),
        to_name=user.full_name, to_email=user.email, now=now, language=Language.EN,
        context={"staff_name": user.full_name, "reset_url": RESET_URL_PLACEHOLDER},
    )


def queue_new_sign_in_notice(user: StaffUser, now: datetime) -> None:
    """Tell the staff member their account signed in from a browser it had not used."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    enqueue(
        _home_clinic(user), kind=MessageKind.STAFF_NEW_SIGN_IN,
        dedupe_key=MessageKind.STAFF_NEW_SIGN_IN.dedupe_key(user.id, secrets.token_hex(8)),
        to_name=user.full_name, to_email=user.email, now=now, language=Language.EN,
        context={"staff_name": user.full_name, "signed_in_at": now.strftime("%Y-%m-%d %H:%M"),
                 "forgot_url": f"{base}/staff/password/forgot"},
    )


def valid_reset(token: str, now: datetime) -> PasswordReset | None:
    """The unused, unexpired reset a token stands for, or None."""
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    return reset


def reset_password(reset: PasswordReset, password: str, now: datetime) -> StaffUser:
    """Set the new password, spend every open reset link of the account, end all its sessions; audited."""
    user = db.session.get(StaffUser, reset.staff_id)
    assert user is not None
    user.password_hash = generate_password_hash(password)
    user.session_version += 1  # every session cookie issued before stops working
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.staff_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    for membership in user.memberships:
        audit.record(membership.clinic_id, user.id, AuditAction.PASSWORD_RESET, "staff", user.id)
    db.session.flush()
    return user
