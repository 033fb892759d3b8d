"""Finding a consultation request by the request form's one-time key."""
from __future__ import annotations

from sqlalchemy import select

from booking.extensions import db
from booking.models import Clinic, ConsultationRequest


def request_for_form_key(clinic: Clinic, form_key: str) -> ConsultationRequest | None:
    """The request this clinic already took in from the form with `form_key`, if any."""
    return db.session.scalar(
        select(ConsultationRequest).where(
            ConsultationRequest.clinic_id == clinic.id, ConsultationRequest.form_key == form_key
        )
    )
