"""Fixtures for the patient's appointment page: a clinic, an infusion, its secret link."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import inspect, select

from booking.extensions import db
from booking.mail.links import issue_token
from booking.models import (
    Appointment,
    AuditAction,
    AuditEvent,
    ChangeRequest,
    Clinic,
    ManageToken,
    OutboxMessage,
    Patient,
    PrevisitInstructions,
    utcnow,
)
from tests.conftest import chairs, days_ahead, local, service

# Words that must never reach the driver's note.
CANARY_CONDITION = "CANARYCOND"
CANARY_MEDICATION = "CANARYMED"
SURNAME = "Canarysurname"


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


def link_for(appointment: Appointment) -> str:
    """A fresh secret link to `appointment`'s page."""
    token = issue_token(appointment, utcnow())
    db.session.commit()
    return f"/manage/{token}"


@pytest.fixture
def url(appt: Appointment) -> str:
    return link_for(appt)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a patient's actions could touch."""
    db.session.expire_all()
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for model in (Appointment, ChangeRequest, OutboxMessage, AuditEvent, ManageToken):
        keys = [attr.key for attr in inspect(model).column_attrs]
        rows = db.session.scalars(select(model).order_by(model.id)).all()
        tables[model.__tablename__] = [tuple(getattr(row, key) for key in keys) for row in rows]
    return tables


def actions(appointment_id: int) -> list[AuditAction]:
    """Audit actions recorded for an appointment, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "appointment", AuditEvent.entity_id == appointment_id)
            .order_by(AuditEvent.id)
        )
    )


def csrf_from(client: FlaskClient, path: str) -> str:
    """The CSRF token from a page's form."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match is not None, "no CSRF token on the page"
    return match.group(1)
