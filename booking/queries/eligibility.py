"""Whether a patient may be booked for infusions."""
from __future__ import annotations

from sqlalchemy import select

from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    ConsultationRequest,
    Patient,
    ReviewDecision,
    Service,
    ServiceKind,
)


def has_cleared_consultation(patient: Patient) -> bool:
    """True if the patient completed a consultation and no review is outstanding."""
    completed = db.session.scalar(
        select(Appointment.id)
        .join(Service, Service.id == Appointment.service_id)
        .where(
            Appointment.clinic_id == patient.clinic_id,
            Appointment.patient_id == patient.id,
            Appointment.status == AppointmentStatus.COMPLETED,
            Service.kind == ServiceKind.CONSULTATION,
        )
        .limit(1)
    )
    if completed is None:
        return False
    flagged = db.session.scalars(
        select(ConsultationRequest).where(
            ConsultationRequest.clinic_id == patient.clinic_id,
            ConsultationRequest.patient_id == patient.id,
            ConsultationRequest.needs_clinician_review.is_(True),
        )
    ).all()
    return all(r.review_decision is ReviewDecision.CLEARED for r in flagged)
