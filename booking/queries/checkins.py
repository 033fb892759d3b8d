"""Reads for check-ins: settings, a visit's current check-in, the day sheet's states, the clinician's queue.

`checkin_states(clinic_id, appointment_ids)` is the one other code calls for the day sheet:
done / not yet / needs a clinician per appointment, nothing of the answers.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from booking.domain.checkins import DEFAULT_OPENS_HOURS_BEFORE, CheckinFacts, CheckinState, state
from booking.domain.questionnaires import parse_instruments
from booking.extensions import db
from booking.models import (
    Appointment,
    CheckIn,
    CheckinSettings,
    Instrument,
    Patient,
    QuestionnaireResponse,
    Service,
    ServiceQuestionnaire,
)


def opens_hours_before(clinic_id: int) -> int:
    """How many hours before a visit its check-in opens at this clinic."""
    row = db.session.get(CheckinSettings, clinic_id)
    return row.opens_hours_before if row is not None else DEFAULT_OPENS_HOURS_BEFORE


def instruments_for(service: Service) -> tuple[Instrument, ...]:
    """The questionnaires this service asks for at check-in, in the canonical order."""
    rows = db.session.scalars(
        select(ServiceQuestionnaire.instrument).where(
            ServiceQuestionnaire.clinic_id == service.clinic_id, ServiceQuestionnaire.service_id == service.id
        )
    ).all()
    return parse_instruments([i.value for i in rows])


def instruments_by_service(clinic_id: int) -> dict[int, set[Instrument]]:
    """Every service's instruments at a clinic (for the settings page)."""
    found: dict[int, set[Instrument]] = {}
    for service_id, instrument in db.session.execute(
        select(ServiceQuestionnaire.service_id, ServiceQuestionnaire.instrument).where(
            ServiceQuestionnaire.clinic_id == clinic_id
        )
    ):
        found.setdefault(service_id, set()).add(instrument)
    return found


def current_checkin(appointment: Appointment) -> CheckIn | None:
    """The check-in that counts for a visit (the latest submitted), if any."""
    return db.session.scalar(
        select(CheckIn).where(
            CheckIn.clinic_id == appointment.clinic_id,
            CheckIn.appointment_id == appointment.id,
            CheckIn.is_current.is_(True),
        )
    )


def responses_of(checkin: CheckIn) -> list[QuestionnaireResponse]:
    """The questionnaires answered with a check-in, in the canonical order."""
    rows = db.session.scalars(
        select(QuestionnaireResponse).where(
            QuestionnaireResponse.clinic_id == checkin.clinic_id, QuestionnaireResponse.checkin_id == checkin.id
        )
    ).all()
    order = list(Instrument)
    return sorted(rows, key=lambda r: order.index(r.instrument))


def checkin_states(clinic_id: int, appointment_ids: Iterable[int]) -> dict[int, CheckinState]:
    """Done / not yet / needs a clinician for each appointment id (one query)."""
    ids = list(appointment_ids)
    states = dict.fromkeys(ids, CheckinState.NOT_YET)
    if not ids:
        return states
    rows = db.session.execute(
        select(CheckIn.appointment_id, CheckIn.is_current, CheckIn.needs_clinician, CheckIn.acknowledged_at).where(
            CheckIn.clinic_id == clinic_id, CheckIn.appointment_id.in_(ids)
        )
    ).all()
    facts: dict[int, CheckinFacts] = {}
    for appointment_id, is_current, needs_clinician, acknowledged_at in rows:
        before = facts.get(appointment_id, CheckinFacts(submitted=False, unacknowledged_flag=False))
        facts[appointment_id] = CheckinFacts(
            submitted=before.submitted or bool(is_current),
            unacknowledged_flag=before.unacknowledged_flag or (bool(needs_clinician) and acknowledged_at is None),
        )
    states.update({appointment_id: state(f) for appointment_id, f in facts.items()})
    return states


@dataclass(frozen=True)
class FlaggedCheckin:
    """A check-in waiting for a clinician, with whose visit it is."""

    checkin: CheckIn
    appointment: Appointment
    patient: Patient


def flagged_checkins(clinic_id: int, *, urgent_only: bool = False) -> list[FlaggedCheckin]:
    """Check-ins a clinician has not acknowledged yet: self-harm answers first, then by visit time."""
    query = (
        select(CheckIn, Appointment, Patient)
        .join(Appointment, Appointment.id == CheckIn.appointment_id)
        .join(Patient, Patient.id == CheckIn.patient_id)
        .where(
            CheckIn.clinic_id == clinic_id,
            Appointment.clinic_id == clinic_id,
            Patient.clinic_id == clinic_id,
            CheckIn.needs_clinician.is_(True),
            CheckIn.acknowledged_at.is_(None),
        )
        .order_by(CheckIn.self_harm.desc(), Appointment.starts_at, CheckIn.id)
    )
    if urgent_only:
        query = query.where(CheckIn.self_harm.is_(True))
    return [FlaggedCheckin(c, a, p) for c, a, p in db.session.execute(query).all()]


@dataclass(frozen=True)
class ScorePoint:
    """One questionnaire's score at one visit (current check-ins only)."""

    appointment_id: int
    starts_at: datetime
    service_name: str
    instrument: Instrument
    version: str
    total: int
    band: str | None
    checkin_id: int


def patient_scores(clinic_id: int, patient_id: int) -> list[ScorePoint]:
    """Every current check-in's scores for a patient, in visit order (the consultation's is the baseline)."""
    rows = db.session.execute(
        select(QuestionnaireResponse, CheckIn, Appointment, Service.name)
        .join(CheckIn, CheckIn.id == QuestionnaireResponse.checkin_id)
        .join(Appointment, Appointment.id == CheckIn.appointment_id)
        .join(Service, Service.id == Appointment.service_id)
        .where(
            QuestionnaireResponse.clinic_id == clinic_id,
            CheckIn.clinic_id == clinic_id,
            CheckIn.patient_id == patient_id,
            CheckIn.is_current.is_(True),
        )
        .order_by(Appointment.starts_at, QuestionnaireResponse.id)
    ).all()
    return [
        ScorePoint(a.id, a.starts_at, name, r.instrument, r.version, r.total, r.band, c.id)
        for r, c, a, name in rows
    ]
