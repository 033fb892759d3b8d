"""Dashboard fixtures: a clinic with a request, a patient and an appointment; signed-in clients."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.domain.availability import local_instant
from booking.extensions import db
from booking.models import (
    Answer,
    Chair,
    ChairKind,
    Clinic,
    Concern,
    ConsultationRequest,
    Patient,
    PreferredTime,
    Role,
    Service,
    utcnow,
)
from tests.conftest import login


def service(clinic: Clinic, slug: str) -> Service:
    return db.session.scalar(select(Service).filter_by(clinic_id=clinic.id, slug=slug))


def chairs(clinic: Clinic, kind: ChairKind = ChairKind.INFUSION) -> list[Chair]:
    return list(db.session.scalars(select(Chair).filter_by(clinic_id=clinic.id, kind=kind).order_by(Chair.id)))


def local(clinic: Clinic, day: date, hour: int, minute: int = 0) -> datetime:
    moment = local_instant(day, time(hour, minute), ZoneInfo(clinic.timezone))
    assert moment is not None
    return moment


def days_ahead(clinic: Clinic, n: int) -> date:
    return utcnow().astimezone(ZoneInfo(clinic.timezone)).date() + timedelta(days=n)


@pytest.fixture
def make_request(ctx: None) -> Callable[..., ConsultationRequest]:
    """Factory: a consultation request with preferred times (aware datetimes)."""

    def make(clinic: Clinic, *times: datetime, name: str = "Quinn Requester", flagged: bool = False,
             medications: str = "") -> ConsultationRequest:
        item = ConsultationRequest(
            clinic_id=clinic.id, service_id=service(clinic, "consult").id, full_name=name,
            email=f"{name.split()[0].lower()}@example.com", phone="+13125550111", date_of_birth=date(1988, 2, 3),
            concern=Concern.ANXIETY, heart_condition=Answer.YES if flagged else Answer.NO,
            substance_misuse=Answer.NO, psychosis_or_mania=Answer.NO, pregnancy=Answer.NO,
            medications=medications, support_person=Answer.YES, consent_privacy=True, consent_email=True,
            consent_phone=True, needs_clinician_review=flagged,
            review_reasons=["heart_condition"] if flagged else [],
        )
        from booking.models import RequestStatus

        item.status = RequestStatus.NEEDS_REVIEW if flagged else RequestStatus.NEW
        item.preferred_times = [PreferredTime(clinic_id=clinic.id, rank=i + 1, starts_at=t) for i, t in enumerate(times)]
        db.session.add(item)
        db.session.commit()
        return item

    return make


@pytest.fixture
def make_patient(ctx: None) -> Callable[..., Patient]:
    def make(clinic: Clinic, name: str = "Pat Patient") -> Patient:
        patient = Patient(clinic_id=clinic.id, full_name=name, email=f"{name.split()[0].lower()}@example.com",
                          phone="+13125550122", date_of_birth=date(1975, 5, 6))
        db.session.add(patient)
        db.session.commit()
        return patient

    return make


@pytest.fixture
def signed_in(app: Flask, make_staff: Any) -> Callable[..., FlaskClient]:
    """Factory: a test client signed in as a new staff member with `role` at `clinics`."""

    def make(*clinics: Clinic, role: Role = Role.FRONT_DESK) -> FlaskClient:
        user = make_staff(*clinics, role=role)
        client = app.test_client()
        assert login(client, user.email).status_code == 303
        client.user = user  # type: ignore[attr-defined]
        return client

    return make
