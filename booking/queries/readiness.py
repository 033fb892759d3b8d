"""The facts behind each visit's readiness on the day sheet, for any number of visits in five queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from booking.domain.readiness import Check, VisitFacts, readiness
from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    Chair,
    ChangeRequest,
    ChangeRequestStatus,
    Clinic,
    ConsultationRequest,
    Patient,
    PrevisitInstructions,
    ReviewDecision,
    Service,
    ServiceKind,
)
from booking.queries.schedule import Entry

_OVER = (AppointmentStatus.ARRIVED, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW)


@dataclass
class DayReadiness:
    """Each visit's checks, and the patient's open change request where there is one (by appointment id)."""

    checks: dict[int, tuple[Check, ...]] = field(default_factory=dict)
    change_requests: dict[int, ChangeRequest] = field(default_factory=dict)

    def asked_times(self, appointment_id: int) -> list[datetime]:
        """The times the patient asked for, in their order (none if they asked nothing)."""
        item = self.change_requests.get(appointment_id)
        return [datetime.fromisoformat(t) for t in item.preferred_times] if item else []


def open_change_count(clinic: Clinic) -> int:
    """How many change requests of the clinic's patients wait for the front desk, any day."""
    return db.session.scalar(select(func.count()).select_from(ChangeRequest).where(
        ChangeRequest.clinic_id == clinic.id, ChangeRequest.status == ChangeRequestStatus.OPEN)) or 0


def infusions_relying_on(clinic: Clinic, consultation: Appointment) -> int:
    """Infusions still ahead for the patient, booked after this completed consultation had unlocked them."""
    if consultation.status is not AppointmentStatus.COMPLETED:
        return 0
    return db.session.scalar(
        select(func.count()).select_from(Appointment)
        .join(Service, Service.id == Appointment.service_id)
        .where(Appointment.clinic_id == clinic.id, Appointment.patient_id == consultation.patient_id,
               Appointment.starts_at > consultation.starts_at, Service.kind == ServiceKind.INFUSION,
               Appointment.status.in_((AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)))
    ) or 0


def entry_of(clinic: Clinic, appointment: Appointment) -> Entry:
    """One appointment as the day sheet lists it (one query)."""
    row = db.session.execute(
        select(Appointment, Patient, Service, Chair)
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(Service, Service.id == Appointment.service_id)
        .join(Chair, Chair.id == Appointment.chair_id)
        .where(Appointment.clinic_id == clinic.id, Appointment.id == appointment.id)
    ).one()
    return Entry(*row)


def day_readiness(clinic: Clinic, entries: list[Entry]) -> DayReadiness:
    """Readiness for `entries` (one day's, or one visit's): a fixed number of queries, whatever their count."""
    result = DayReadiness()
    if not entries:
        return result
    patient_ids = {e.patient.id for e in entries}
    appointment_ids = [e.appointment.id for e in entries]
    consultations: dict[int, list[datetime]] = defaultdict(list)
    for patient_id, starts_at in db.session.execute(
        select(Appointment.patient_id, Appointment.starts_at)
        .join(Service, Service.id == Appointment.service_id)
        .where(Appointment.clinic_id == clinic.id, Appointment.patient_id.in_(patient_ids),
               Appointment.status == AppointmentStatus.COMPLETED, Service.kind == ServiceKind.CONSULTATION)
    ):
        consultations[patient_id].append(starts_at)
    waiting_review = set(db.session.scalars(
        select(ConsultationRequest.patient_id).where(
            ConsultationRequest.clinic_id == clinic.id,
            ConsultationRequest.patient_id.in_(patient_ids),
            ConsultationRequest.needs_clinician_review.is_(True),
            (ConsultationRequest.review_decision.is_(None))
            | (ConsultationRequest.review_decision != ReviewDecision.CLEARED),
        )
    ))
    for item in db.session.scalars(
        select(ChangeRequest).where(ChangeRequest.clinic_id == clinic.id,
                                    ChangeRequest.appointment_id.in_(appointment_ids),
                                    ChangeRequest.status == ChangeRequestStatus.OPEN).order_by(ChangeRequest.id)
    ):
        result.change_requests.setdefault(item.appointment_id, item)
    instructions = {row.service_id: row for row in db.session.scalars(
        select(PrevisitInstructions).where(PrevisitInstructions.clinic_id == clinic.id))}
    series_ids = {e.appointment.series_id for e in entries if e.appointment.series_id is not None}
    series: dict[int, list[int]] = defaultdict(list)
    if series_ids:
        for series_id, appointment_id in db.session.execute(
            select(Appointment.series_id, Appointment.id)
            .where(Appointment.clinic_id == clinic.id, Appointment.series_id.in_(series_ids),
                   Appointment.status != AppointmentStatus.CANCELLED)
            .order_by(Appointment.starts_at, Appointment.id)
        ):
            if series_id is not None:
                series[series_id].append(appointment_id)
    for entry in entries:
        a = entry.appointment
        plan = instructions.get(entry.service.id, instructions.get(None))
        sessions = series.get(a.series_id, []) if a.series_id is not None else []
        facts = VisitFacts(
            infusion=entry.service.kind is ServiceKind.INFUSION,
            attendance_confirmed=a.patient_confirmed_at is not None or a.status in _OVER[:2],
            driver_named=bool(a.driver_name and a.driver_phone) or bool(a.driver_confirmed_with),
            driver_confirmed=a.driver_confirmed_at is not None,
            fasting=plan is not None and bool(plan.fasting_hours),
            # The patient confirms on their page under the plan's clock times.
            fasting_acknowledged=a.patient_confirmed_at is not None,
            review_pending=entry.patient.id in waiting_review,
            consultation_done=any(t < a.starts_at for t in consultations[entry.patient.id]),
            change_requested=a.id in result.change_requests,
            series_position=sessions.index(a.id) + 1 if a.id in sessions else None,
            series_size=len(sessions) or None,
            over=a.status in _OVER,
        )
        result.checks[a.id] = readiness(facts)
    return result
