"""Merging a duplicate request into the patient it belongs to."""
from __future__ import annotations

from booking.domain.errors import DomainError
from booking.models import AuditAction, Clinic, ConsultationRequest, Patient
from booking.operations import audit


class AlreadyLinked(DomainError):
    """The request already belongs to a patient."""

    def __str__(self) -> str:
        return "this request is already linked to a patient"


def merge_into_patient(clinic: Clinic, request: ConsultationRequest, patient: Patient, *, actor_id: int) -> None:
    """Link the request to the existing patient (no new record is made when it is booked); audited."""
    assert request.clinic_id == clinic.id and patient.clinic_id == clinic.id
    if request.patient_id is not None:
        raise AlreadyLinked()
    request.patient_id = patient.id
    audit.record(clinic.id, actor_id, AuditAction.REQUEST_MERGED, "consultation_request", request.id,
                 patient_id=patient.id)
