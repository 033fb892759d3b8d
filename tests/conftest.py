"""Fixtures: an app on a clean database (SQLite, or TEST_DATABASE_URL), clients, factories.

Plain helpers live in tests/factories.py and tests/support/; import them from there, not from here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from booking import create_app, database_uri
from booking.extensions import db, limiter
from booking.models import (
    Appointment,
    Base,
    Clinic,
    ConsultationRequest,
    Patient,
    Role,
    StaffUser,
)
from tests.factories import create_appointment, create_clinic, create_patient, create_request, create_staff
from tests.hypothesis_profiles import load_profile
from tests.support.database import TEST_DATABASE_URL

HYPOTHESIS_PROFILE = load_profile()


def pytest_report_header() -> str:
    """Say which Hypothesis profile the run uses."""
    return f"hypothesis profile: {HYPOTHESIS_PROFILE} (HYPOTHESIS_PROFILE=ci or thorough)"


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
    # DELETE, children first, rather than TRUNCATE: the tables hold a handful of rows, and
    # PostgreSQL's TRUNCATE makes new files for every table, which cost most of a second
    # per test on a busy machine against a few milliseconds here.
    if db.engine.dialect.name == "postgresql":
        # The audit log refuses DELETE (booking/models/audit_guard.py); a superuser's
        # replica mode skips triggers for this transaction only.
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    for table in reversed(Base.metadata.sorted_tables):
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
        "REQUEST_FORM_ATTEMPT_LIMIT": "1000 per minute",
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
        g.pop("preferred_language", None)
        g.pop("clinic", None)  # the dashboard's current clinic (the request log line reads it)

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
    """Factory: a clinic open every day 08:00-18:00, with services and chairs (tests/factories.py)."""
    counter = iter(range(1, 1000))

    def make(chairs: int = 2, **overrides: Any) -> Clinic:
        return create_clinic(next(counter), chairs, **overrides)

    return make


@pytest.fixture
def make_appointment(ctx: None) -> Callable[..., Appointment]:
    """Factory: an appointment for a new patient; `start` is an aware datetime."""
    return create_appointment


@pytest.fixture
def make_staff(ctx: None) -> Callable[..., StaffUser]:
    """Factory: a staff member with `role` at each of `clinics`, signing in with STAFF_PASSWORD."""
    counter = iter(range(1, 1000))

    def make(*clinics: Clinic, role: Role = Role.FRONT_DESK, email: str | None = None) -> StaffUser:
        return create_staff(next(counter), *clinics, role=role, email=email)

    return make


@pytest.fixture
def make_request(ctx: None) -> Callable[..., ConsultationRequest]:
    """Factory: a consultation request with preferred times (aware datetimes)."""
    return create_request


@pytest.fixture
def make_patient(ctx: None) -> Callable[..., Patient]:
    """Factory: a patient of a clinic."""
    return create_patient
