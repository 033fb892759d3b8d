"""Check-in helpers: which instruments a service asks, form data for a full check-in."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from booking.domain.questionnaires import DEFINITIONS, Instrument
from booking.extensions import db
from booking.models import Appointment, Clinic, Patient, Service, ServiceQuestionnaire
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local

# Typed into the answers: must never leave the product (mail, logs, .ics).
CANARY_MEDS = "CANARYDOSECHANGE"
DRIVER = {"driver_name": "Sam Driver", "driver_phone": "312-555-0199", "driver_confirmed": "y"}


def ask(service_: Service, *instruments: Instrument) -> None:
    """Make `service_` ask these questionnaires at check-in."""
    for instrument in instruments:
        db.session.add(ServiceQuestionnaire(clinic_id=service_.clinic_id, service_id=service_.id, instrument=instrument))
    db.session.commit()


def answers(instrument: Instrument, values: list[int]) -> dict[str, str]:
    """Form fields answering `instrument` with `values` (item 1 first)."""
    assert len(values) == DEFINITIONS[instrument].items
    return {f"{instrument.value}_{n}": str(v) for n, v in enumerate(values, start=1)}


def full_checkin(phq9: list[int] | None = None, gad7: list[int] | None = None, **extra: str) -> dict[str, str]:
    """A complete check-in for a service asking PHQ-9 and GAD-7 (fasting confirmed, driver named)."""
    data = {"fasting_confirmed": "y", **DRIVER, "medication_change": ""}
    data |= answers(Instrument.PHQ9, phq9 if phq9 is not None else [1, 1, 0, 2, 0, 0, 1, 0, 0])
    data |= answers(Instrument.GAD7, gad7 if gad7 is not None else [1, 0, 1, 0, 0, 1, 0])
    return data | extra


def infusion_tomorrow(clinic: Clinic, make_appointment: Callable[..., Appointment], hour: int = 10,
                      name: str = "Robin Checkin") -> Appointment:
    """An infusion tomorrow at `hour` local (inside the default 48-hour check-in window)."""
    appointment = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0],
                                   local(clinic, days_ahead(clinic, 1), hour))
    patient = db.session.get(Patient, appointment.patient_id)
    patient.full_name = name
    db.session.commit()
    return appointment


def later_visit(clinic: Clinic, first: Appointment, hours: int) -> Appointment:
    """Another infusion for the same patient, `hours` after `first` (in the same chair)."""
    start = first.starts_at + timedelta(hours=hours)
    appointment = Appointment(clinic_id=clinic.id, service_id=first.service_id, chair_id=first.chair_id,
                              patient_id=first.patient_id, starts_at=start,
                              ends_at=start + (first.ends_at - first.starts_at),
                              blocked_until=start + (first.blocked_until - first.starts_at))
    db.session.add(appointment)
    db.session.commit()
    return appointment
