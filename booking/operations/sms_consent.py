"""Consent to texts: given on the request form or the patient's page, withdrawn on the page."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from booking.domain.sms_consent import SMS_CONSENT_VERSION
from booking.extensions import db
from booking.models import Clinic, SmsConsent
from booking.queries.sms import has_consent


def record_sms_consent(
    clinic: Clinic, phone: str, now: datetime, *, source: str, request_id: int | None = None
) -> SmsConsent | None:
    """Store `phone`'s consent to `clinic`'s texts with the disclosure's version; None if it stands already."""
    if has_consent(clinic.id, phone):
        return None
    consent = SmsConsent(clinic_id=clinic.id, phone=phone, text_version=SMS_CONSENT_VERSION, source=source,
                         request_id=request_id, consented_at=now)
    db.session.add(consent)
    db.session.flush()
    return consent


def withdraw_sms_consent(clinic: Clinic, phone: str, now: datetime) -> None:
    """No more texts to `phone` from `clinic` until consent is given again (kept, with when it ended)."""
    db.session.execute(
        update(SmsConsent)
        .where(SmsConsent.clinic_id == clinic.id, SmsConsent.phone == phone, SmsConsent.withdrawn_at.is_(None))
        .values(withdrawn_at=now),
        execution_options={"synchronize_session": False},
    )
