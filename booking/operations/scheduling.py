"""Turning a consultation request into a booked consultation, and clinicians' reviews."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from booking.domain.booking_keys import booking_fingerprint
from booking.domain.errors import DomainError
from booking.domain.request_flow import IllegalTransition, move
from booking.extensions import db
from booking.models import (
    Appointment,
    AuditAction,
    Clinic,
    ConsultationRequest,
    Patient,
    RequestStatus,
    ReviewDecision,
    Service,
)
from booking.operations import audit
from booking.operations.booking import Booker, BookingSpec, book, lock_clinic, replayed


class NotFlagged(DomainError):
    """Only flagged requests take a clinician's review."""


class AlreadyScheduled(IllegalTransition):
    """The request was scheduled already (another time button, or someone else)."""

    def __init__(self) -> None:
        super().__init__(RequestStatus.SCHEDULED, RequestStatus.SCHEDULED)

    def __str__(self) -> str:
        return "this request is already scheduled"


def patient_for_request(request: ConsultationRequest) -> Patient:
    """The clinic's patient record for this request, found by email and birth date or made.

    The patient takes the language the request was made in: a returning patient's
    newest request says best what they read now.
    """
    if request.patient_id is not None:
        patient = db.session.get(Patient, request.patient_id)
        assert patient is not None
        return patient
    patient = db.session.scalar(
        select(Patient).where(
            Patient.clinic_id == request.clinic_id,
            func.lower(Patient.email) == request.email.lower(),
            Patient.date_of_birth == request.date_of_birth,
        )
    )
    if patient is None:
        patient = Patient(
            clinic_id=request.clinic_id,
            full_name=request.full_name,
            email=request.email,
            phone=request.phone,
            date_of_birth=request.date_of_birth,
            language=request.language,
        )
        db.session.add(patient)
        db.session.flush()
    else:
        patient.language = request.language
    request.patient_id = patient.id
    return patient


def schedule_request(
    clinic: Clinic,
    request: ConsultationRequest,
    start: datetime,
    *,
    booker: Booker,
    chair_id: int | None = None,
    actor_id: int | None,
    now: datetime,
    idempotency_key: str | None = None,
) -> Appointment:
    """Book the request's consultation at `start` by `booker`'s rules and mark the request scheduled.

    Safe when two people schedule the same request at once: the clinic lock is
    taken first and the request re-read, so only one booking is made. A repeated
    `idempotency_key` returns the appointment it made for this request at this
    time; a key that made any other booking raises `KeyReused`.
    """
    if request.clinic_id != clinic.id:
        raise IllegalTransition(request.status, RequestStatus.SCHEDULED)
    lock_clinic(clinic)
    db.session.refresh(request)
    if idempotency_key:
        # The fingerprint `book` stored: a request has its patient once it was scheduled.
        fingerprint = booking_fingerprint(clinic.id, request.patient_id, request.service_id, start, chair_id,
                                          request.id)
        done = replayed(clinic, idempotency_key, fingerprint)
        if done is not None:
            return done
    if request.status is RequestStatus.SCHEDULED:
        raise AlreadyScheduled()
    if request.status not in (RequestStatus.NEW, RequestStatus.CONTACTED):
        raise IllegalTransition(request.status, RequestStatus.SCHEDULED)
    service = db.session.get(Service, request.service_id)
    assert service is not None
    patient = patient_for_request(request)
    appointment = book(
        clinic,
        BookingSpec(service=service, patient=patient, start=start, booker=booker, chair_id=chair_id,
                    request_id=request.id, idempotency_key=idempotency_key),
        actor_id=actor_id,
        now=now,
    )
    move(request, RequestStatus.SCHEDULED)
    request.updated_at = now
    audit.record(clinic.id, actor_id, AuditAction.REQUEST_SCHEDULED, "consultation_request", request.id,
                 appointment=appointment.id)
    return appointment


def record_review(
    clinic: Clinic,
    request: ConsultationRequest,
    decision: ReviewDecision,
    note: str,
    *,
    actor_id: int,
    now: datetime,
) -> None:
    """A clinician's decision on a flagged request; cleared requests go back to the queue."""
    if request.clinic_id != clinic.id or not request.needs_clinician_review:
        raise NotFlagged("this request does not need a clinician's review")
    request.review_decision = decision
    request.review_note = note.strip()
    request.reviewed_by_id = actor_id
    request.reviewed_at = now
    request.updated_at = now
    if request.status is RequestStatus.NEEDS_REVIEW:
        if decision is ReviewDecision.CLEARED:
            move(request, RequestStatus.NEW)
        elif decision is ReviewDecision.DECLINED:
            move(request, RequestStatus.DECLINED)
    audit.record(clinic.id, actor_id, AuditAction.REQUEST_REVIEWED, "consultation_request", request.id,
                 decision=decision.value)
