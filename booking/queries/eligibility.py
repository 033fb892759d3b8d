"""Whether a patient may be booked for infusions."""
from __future__ import annotations

from sqlalchemy import func, select

from booking.domain.eligibility import Eligibility
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


def eligibility(patient: Patient) -> Eligibility:
    """The patient's consultation and review state, for the staff pages and the booking rule."""
    consultations = (
        select(func.max(Appointment.starts_at))
        .join(Service, Service.id == Appointment.service_id)
        .where(
            Appointment.clinic_id == patient.clinic_id,
            Appointment.patient_id == patient.id,
            Service.kind == ServiceKind.CONSULTATION,
        )
    )
    done = db.session.scalar(consultations.where(Appointment.status == AppointmentStatus.COMPLETED))
    booked = db.session.scalar(
        consultations.with_only_columns(func.min(Appointment.starts_at)).where(
            Appointment.status.in_((AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED, AppointmentStatus.ARRIVED)),
        )
    )
    decisions = db.session.scalars(
        select(ConsultationRequest.review_decision).where(
            ConsultationRequest.clinic_id == patient.clinic_id,
            ConsultationRequest.patient_id == patient.id,
            ConsultationRequest.needs_clinician_review.is_(True),
        )
    ).all()
    return Eligibility(
        consultation_done_at=done,
        consultation_booked_at=booked,
        reviews_pending=sum(1 for d in decisions if d is None),
        reviews_not_cleared=sum(1 for d in decisions if d is not None and d is not ReviewDecision.CLEARED),
        reviews_cleared=sum(1 for d in decisions if d is ReviewDecision.CLEARED),
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
