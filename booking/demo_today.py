"""The demo's busy today: visits in several states around the current hour, in each clinic's own day.

Seeded once per local day (a later run on the same day adds nothing), so whoever signs in sees
a front desk's morning: a completed visit, a patient in the chair, others still to come, a
patient asking to move, a flagged and a duplicate request, a cleared patient ready for a series,
and a cancelled visit whose block waits to be filled.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from booking.domain.availability import day_bounds
from booking.extensions import db
from booking.models import (
    Answer,
    Appointment,
    AppointmentStatus,
    Canceller,
    ChairKind,
    ChangeRequest,
    Clinic,
    Concern,
    ConsultationRequest,
    Patient,
    PreferredTime,
    RequestStatus,
    ReviewDecision,
    Service,
)

# Everyone here is fictional; the phone numbers are in the 555-01xx range kept for fiction.
PEOPLE = {
    "done": ("Morgan Finished", "morgan.finished@example.com", "+13125550131", date(1979, 4, 2)),
    "in_chair": ("Taylor Inchair", "taylor.inchair@example.com", "+13125550132", date(1985, 8, 19)),
    "next": ("Avery Nextup", "avery.nextup@example.com", "+13125550133", date(1990, 1, 7)),
    "mover": ("Jamie Wantsmove", "jamie.wantsmove@example.com", "+13125550134", date(1972, 11, 30)),
    "consult": ("Robin Newcomer", "robin.newcomer@example.com", "+13125550135", date(1995, 6, 14)),
    "cancelled": ("Drew Cancelled", "drew.cancelled@example.com", "+13125550136", date(1988, 3, 3)),
    "cleared": ("Riley Ready", "riley.ready@example.com", "+13125550137", date(1983, 9, 21)),
    "no_show": ("Quinn Missed", "quinn.missed@example.com", "+13125550138", date(1992, 12, 12)),
}


def _anchor(clinic: Clinic, now: datetime) -> datetime:
    """Now on the clinic's clock, on a half hour, kept between 10:30 and 13:00 so the day has a before and an after."""
    local = now.astimezone(clinic.zone)
    minutes = min(max(local.hour * 60 + local.minute // 30 * 30, 10 * 60 + 30), 13 * 60)
    wall = datetime.combine(local.date(), time(minutes // 60, minutes % 60))
    return wall.replace(tzinfo=clinic.zone)


def _patient(clinic: Clinic, key: str, made: set[str] | None = None) -> Patient:
    """The demo person `key` as a patient of `clinic` (made once; `made` collects the new ones)."""
    name, email, phone, born = PEOPLE[key]
    patient = db.session.scalar(select(Patient).filter_by(clinic_id=clinic.id, email=email))
    if patient is None:
        patient = Patient(clinic_id=clinic.id, full_name=name, email=email, phone=phone, date_of_birth=born)
        db.session.add(patient)
        db.session.flush()
        if made is not None:
            made.add(key)
    return patient


def _visit(clinic: Clinic, service: Service, chair_id: int, patient: Patient, start: datetime,
           status: AppointmentStatus, **extra: Any) -> Appointment:
    ends = start + timedelta(minutes=service.duration_minutes)
    appointment = Appointment(
        clinic_id=clinic.id, service_id=service.id, chair_id=chair_id, patient_id=patient.id,
        starts_at=start, ends_at=ends, blocked_until=ends + timedelta(minutes=service.recovery_minutes),
        status=status, **extra,
    )
    db.session.add(appointment)
    db.session.flush()
    return appointment


def _request(clinic: Clinic, service: Service, person: tuple[str, str, str, date], at: datetime,
             times: list[datetime], *, flagged: bool = False, patient: Patient | None = None,
             decision: ReviewDecision | None = None) -> ConsultationRequest:
    name, email, phone, born = person
    item = ConsultationRequest(
        clinic_id=clinic.id, service_id=service.id, patient_id=patient.id if patient else None,
        full_name=name, email=email, phone=phone, date_of_birth=born, concern=Concern.DEPRESSION,
        heart_condition=Answer.UNSURE if flagged else Answer.NO, substance_misuse=Answer.NO,
        psychosis_or_mania=Answer.NO, pregnancy=Answer.NO, support_person=Answer.YES,
        consent_privacy=True, consent_email=True, consent_phone=True,
        needs_clinician_review=flagged, review_reasons=["heart_condition"] if flagged else [],
        review_decision=decision, created_at=at,
        status=RequestStatus.NEEDS_REVIEW if flagged and decision is None else
        (RequestStatus.SCHEDULED if patient else RequestStatus.NEW),
    )
    item.preferred_times = [PreferredTime(clinic_id=clinic.id, rank=i + 1, starts_at=t) for i, t in enumerate(times)]
    db.session.add(item)
    db.session.flush()
    return item


def seed_today(clinic: Clinic, now: datetime) -> bool:
    """Fill the clinic's local today around `now` unless it already has visits; True if it did."""
    today = clinic.today(now)
    window = day_bounds(today, clinic.zone)
    if db.session.scalar(select(Appointment.id).where(
        Appointment.clinic_id == clinic.id, Appointment.starts_at >= window.start, Appointment.starts_at < window.end,
    ).limit(1)):
        return False
    services = {s.slug: s for s in clinic.services}
    mood, consult = services["infusion-mood"], services["initial-consultation"]
    chairs = [c.id for c in clinic.chairs if c.kind is ChairKind.INFUSION]
    room = next(c.id for c in clinic.chairs if c.kind is ChairKind.CONSULT)
    at = _anchor(clinic, now)
    hour = timedelta(hours=1)
    # Patients who had their consultation: a week before their first demo day, completed.
    week_ago = at - timedelta(days=7)
    made: set[str] = set()
    keys = ("done", "in_chair", "next", "mover", "cancelled", "cleared", "no_show")
    patients = {key: _patient(clinic, key, made) for key in keys}
    for i, key in enumerate(keys):
        if key in made:
            _visit(clinic, consult, room, patients[key], week_ago + i * hour, AppointmentStatus.COMPLETED)
    _visit(clinic, mood, chairs[0], _patient(clinic, "done"), at - 2 * hour, AppointmentStatus.COMPLETED,
           patient_confirmed_at=at - timedelta(days=1), driver_name="Chris Finished", driver_phone="+13125550141",
           driver_confirmed_at=at - timedelta(days=1))
    _visit(clinic, mood, chairs[1 % len(chairs)], _patient(clinic, "in_chair"), at - hour / 2,
           AppointmentStatus.ARRIVED, patient_confirmed_at=at - timedelta(days=1), driver_name="Pat Inchair",
           driver_phone="+13125550142", driver_confirmed_at=at - timedelta(hours=20))
    _visit(clinic, mood, chairs[0], _patient(clinic, "next"), at + hour, AppointmentStatus.CONFIRMED,
           patient_confirmed_at=at - timedelta(hours=18), driver_name="Sam Nextup", driver_phone="+13125550143")
    mover = _visit(clinic, mood, chairs[-1], _patient(clinic, "mover"), at + 2 * hour, AppointmentStatus.BOOKED)
    tomorrow = at + timedelta(days=1)
    db.session.add(ChangeRequest(clinic_id=clinic.id, appointment_id=mover.id, created_at=now - hour,
                                 preferred_times=[tomorrow.isoformat(), (tomorrow + hour).isoformat()]))
    # Its block (3 hours from now, chair 1) shows on the day sheet as freed, to fill.
    _visit(clinic, mood, chairs[0], _patient(clinic, "cancelled"), at + 3 * hour,
           AppointmentStatus.CANCELLED, cancelled_at=now - 2 * hour, cancelled_by=Canceller.PATIENT,
           cancel_reason="Cancelled by the patient from their appointment page.")
    _visit(clinic, mood, chairs[-1], _patient(clinic, "no_show"), at - 3 * hour, AppointmentStatus.NO_SHOW)
    newcomer = _patient(clinic, "consult")
    _request(clinic, consult, PEOPLE["consult"], now - timedelta(days=2), [at + 3 * hour], patient=newcomer)
    _visit(clinic, consult, room, newcomer, at + 3 * hour, AppointmentStatus.BOOKED)
    # The cleared patient: consultation done, review cleared, no infusions yet: ready for a series.
    if "cleared" in made:
        _request(clinic, consult, PEOPLE["cleared"], week_ago - timedelta(days=3), [week_ago + 5 * hour],
                 flagged=True, patient=patients["cleared"], decision=ReviewDecision.CLEARED)
    # New in the queue: one flagged for a clinician, one from someone who is already a patient.
    flagged = ("Jordan Flagged", "jordan.flagged@example.com", "+13125550139", date(1968, 2, 25))
    _request(clinic, consult, flagged, now - timedelta(hours=3), [tomorrow + 2 * hour], flagged=True)
    again = ("Taylor In-Chair", PEOPLE["in_chair"][1], "+13125550150", PEOPLE["in_chair"][3])
    _request(clinic, consult, again, now - timedelta(hours=1), [tomorrow + 3 * hour])
    return True
