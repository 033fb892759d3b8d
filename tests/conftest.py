"""Fixtures: an app on a clean database (SQLite, or TEST_DATABASE_URL), clients, factories."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, text

from booking import create_app, database_uri
from booking.domain.availability import local_instant
from booking.extensions import db, limiter
from booking.models import (
    Answer,
    Appointment,
    Base,
    Chair,
    ChairKind,
    Clinic,
    Concern,
    ConsultationRequest,
    OpeningHours,
    Patient,
    PreferredTime,
    PrevisitInstructions,
    RequestStatus,
    Service,
    ServiceKind,
    utcnow,
)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that builds the app touches the database: mark it `db`."""
    for item in items:
        if "app" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database, with a fresh schema for this test session."""
    if TEST_DATABASE_URL:
        url = database_uri(TEST_DATABASE_URL, "")
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return url


def _empty_tables() -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """Per-test config; override this fixture (or mutate it) to change settings."""
    return {}


@pytest.fixture
def app(database_url: str, config_overrides: dict[str, Any]) -> Iterator[Flask]:
    """The app on an empty database."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REQUEST_FORM_RATE_LIMIT": "1000 per minute",
        "API_RATE_LIMIT": "1000 per minute",
        "MAIL_SUPPRESS_SEND": False,
        "MAIL_TIMEOUT": 2.0,
        **config_overrides,
    }
    app = create_app(config)

    def _forget_cached_user() -> None:
        # Tests hold an app context open, which requests then share; in production
        # each request has its own. Drop Flask-Login's per-context cache to match.
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)  # Flask-Babel's locale
        g.pop("page_language", None)

    app.before_request_funcs.setdefault(None, []).insert(0, _forget_cached_user)

    with app.app_context():
        _empty_tables()
        limiter.reset()
    yield app
    with app.app_context():
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for `flask` commands."""
    return app.test_cli_runner()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An application context, for tests that use the session directly."""
    with app.app_context():
        yield


@pytest.fixture
def make_clinic(ctx: None) -> Callable[..., Clinic]:
    """Factory: a clinic open every day 08:00-18:00, with services and chairs."""
    counter = iter(range(1, 1000))

    def make(chairs: int = 2, **overrides: Any) -> Clinic:
        n = next(counter)
        clinic = Clinic(
            slug=overrides.pop("slug", f"clinic-{n}"),
            name=overrides.pop("name", f"Test Clinic {n}"),
            timezone=overrides.pop("timezone", "America/Chicago"),
            address="1 Test St, Chicago, IL",
            phone="+1 312-555-0100",
            email=f"desk{n}@clinic.example",
            slot_step_minutes=30,
            min_notice_minutes=0,
            horizon_days=60,
            **overrides,
        )
        db.session.add(clinic)
        db.session.flush()
        db.session.add_all(
            [
                Service(clinic_id=clinic.id, slug="consult", name="Initial consultation",
                        kind=ServiceKind.CONSULTATION, duration_minutes=45, public=True, sort_order=0),
                Service(clinic_id=clinic.id, slug="video", name="Video consultation",
                        kind=ServiceKind.CONSULTATION, duration_minutes=30, public=True, sort_order=1),
                Service(clinic_id=clinic.id, slug="infusion", name="Infusion",
                        kind=ServiceKind.INFUSION, duration_minutes=60, recovery_minutes=45,
                        needs_chair=True, sort_order=2),
            ]
        )
        for i in range(chairs):
            db.session.add(Chair(clinic_id=clinic.id, name=f"Chair {i + 1}", kind=ChairKind.INFUSION))
        db.session.add(Chair(clinic_id=clinic.id, name="Room", kind=ChairKind.CONSULT))
        for weekday in range(7):
            db.session.add(OpeningHours(clinic_id=clinic.id, weekday=weekday, opens=time(8), closes=time(18)))
        db.session.add(PrevisitInstructions(
            clinic_id=clinic.id, fasting_hours=6, clear_liquids_hours=2,
            medication_review="Bring your medication list.", driver_required=True,
            support_person_text="Arrange a driver.", other="Arrive early.",
        ))
        db.session.commit()
        return clinic

    return make


@pytest.fixture
def make_appointment(ctx: None) -> Callable[..., Appointment]:
    """Factory: an appointment for a new patient; `start` is an aware datetime."""

    def make(clinic: Clinic, service: Service, chair: Chair, start: datetime, **overrides: Any) -> Appointment:
        patient = Patient(clinic_id=clinic.id, full_name="Pat Booked", email="pat@example.com",
                          phone="+13125550100", date_of_birth=date(1980, 1, 1))
        db.session.add(patient)
        db.session.flush()
        ends = start + timedelta(minutes=service.duration_minutes)
        appointment = Appointment(
            clinic_id=clinic.id, service_id=service.id, chair_id=chair.id, patient_id=patient.id,
            starts_at=start, ends_at=ends,
            blocked_until=ends + timedelta(minutes=service.recovery_minutes), **overrides,
        )
        db.session.add(appointment)
        db.session.commit()
        return appointment

    return make


STAFF_PASSWORD = "a long test password"


@pytest.fixture
def make_staff(ctx: None) -> Callable[..., Any]:
    """Factory: a staff member with `role` at each of `clinics`."""
    from werkzeug.security import generate_password_hash

    from booking.models import Membership, Role, StaffUser

    counter = iter(range(1, 1000))
    password_hash = generate_password_hash(STAFF_PASSWORD)

    def make(*clinics: Clinic, role: Role = Role.FRONT_DESK, email: str | None = None) -> StaffUser:
        n = next(counter)
        user = StaffUser(email=email or f"{role.value}{n}@staff.example", full_name=f"Staff {role.value} {n}",
                         password_hash=password_hash)
        user.memberships = [Membership(clinic_id=c.id, role=role) for c in clinics]
        db.session.add(user)
        db.session.commit()
        return user

    return make


def login(client: FlaskClient, email: str, password: str = STAFF_PASSWORD) -> Any:
    """Sign in through the real login form."""
    return client.post("/staff/login", data={"email": email, "password": password})


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
