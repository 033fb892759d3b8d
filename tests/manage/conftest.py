"""Fixtures for the patient's appointment page: a clinic, an infusion, its secret link."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Appointment, Clinic, Patient, PrevisitInstructions
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.manage import CANARY_CONDITION, CANARY_MEDICATION, SURNAME, link_for


@pytest.fixture
def clinic(make_clinic: Callable[..., Clinic]) -> Clinic:
    clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    service(clinic, "infusion").name = f"Infusion for chronic pain ({CANARY_CONDITION})"
    instructions = db.session.scalar(select(PrevisitInstructions).filter_by(clinic_id=clinic.id))
    instructions.medication_review = f"Hold {CANARY_MEDICATION} the evening before."
    db.session.commit()
    return clinic


@pytest.fixture
def appt(clinic: Clinic, make_appointment: Callable[..., Appointment]) -> Appointment:
    """An infusion in three days at 10:00 local: 60 minutes, then 45 of recovery."""
    start = local(clinic, days_ahead(clinic, 3), 10)
    appointment = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], start)
    patient = db.session.get(Patient, appointment.patient_id)
    patient.full_name = f"Robin {SURNAME}"
    db.session.commit()
    return appointment


@pytest.fixture
def url(appt: Appointment) -> str:
    return link_for(appt)
