"""Requests in the queue that are probably someone already known: another request, or a patient."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from booking.domain.duplicates import CONTACT_WINDOW, Person, same_person
from booking.extensions import db
from booking.models import Clinic, ConsultationRequest, Patient


@dataclass
class Duplicate:
    """The known record a request matches, and why."""

    reason: str
    patient: Patient | None = None
    request: ConsultationRequest | None = None


def _person(record: Patient | ConsultationRequest, with_time: bool) -> Person:
    return Person(record.email, record.phone, record.search_name, record.date_of_birth,
                  record.created_at if with_time else None)


def find_duplicates(clinic: Clinic, requests: Sequence[ConsultationRequest]) -> dict[int, Duplicate]:
    """For each request not yet linked to a patient, the patient (first) or earlier request it matches."""
    unlinked = [r for r in requests if r.patient_id is None]
    if not unlinked:
        return {}
    emails = {r.email.lower() for r in unlinked}
    phones = {r.phone for r in unlinked if r.phone}
    names = {r.search_name for r in unlinked}
    found: dict[int, Duplicate] = {}
    patients = db.session.scalars(select(Patient).where(
        Patient.clinic_id == clinic.id,
        or_(func.lower(Patient.email).in_(emails), Patient.phone.in_(phones),
            and_(Patient.search_name.in_(names), Patient.date_of_birth.is_not(None))),
    ).order_by(Patient.id)).all()
    for item in unlinked:
        for patient in patients:
            reason = same_person(_person(item, False), _person(patient, False))
            if reason:
                found[item.id] = Duplicate(reason, patient=patient)
                break
    earliest = min(r.created_at for r in unlinked) - CONTACT_WINDOW
    others = db.session.scalars(select(ConsultationRequest).where(
        ConsultationRequest.clinic_id == clinic.id,
        or_(
            and_(ConsultationRequest.created_at >= earliest,
                 or_(func.lower(ConsultationRequest.email).in_(emails), ConsultationRequest.phone.in_(phones))),
            ConsultationRequest.search_name.in_(names),
        ),
    ).order_by(ConsultationRequest.created_at)).all()
    for item in unlinked:
        if item.id in found:
            continue
        for other in others:
            if (other.created_at, other.id) >= (item.created_at, item.id):
                continue  # only an earlier request makes this one the duplicate
            reason = same_person(_person(item, True), _person(other, True))
            if reason:
                # An earlier request already linked to a patient: that patient is the one to merge into.
                linked = db.session.get(Patient, other.patient_id) if other.patient_id is not None else None
                found[item.id] = Duplicate(reason, patient=linked, request=other)
                break
    return found
