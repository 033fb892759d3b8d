"""The Alembic migrations build exactly the schema the models describe."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from booking import create_app
from booking.extensions import db
from booking.models import Base
from tests.support.database import TEST_DATABASE_URL

pytestmark = pytest.mark.db


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A brand-new database of the kind under test."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path}/migrations.sqlite3"
        return
    server = make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg")
    name = f"booking_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_upgrade_matches_models_and_downgrade_empties(empty_database: str) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                kinds = conn.exec_driver_sql(
                    "SELECT contype FROM pg_constraint WHERE conname = 'ex_appointment_chair_overlap'"
                ).scalars().all()
            assert kinds == ["x"]  # an exclusion constraint
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_booking_keys_keep_what_they_stand_for_down_and_up(empty_database: str) -> None:
    from datetime import date, datetime, timedelta, timezone

    from sqlalchemy import text

    from booking.domain.booking_keys import booking_fingerprint
    from booking.models import Appointment, Chair, ChairKind, Clinic, Patient, Service, ServiceKind

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        start = datetime(2030, 4, 9, 14, tzinfo=timezone.utc)
        expected = []
        for n in (1, 2):
            clinic = Clinic(slug=f"mig-{n}", name=f"Clinic {n}", timezone="America/Chicago", address="1 Test St",
                            phone="+13125550100", email=f"desk{n}@clinic.example")
            db.session.add(clinic)
            db.session.flush()
            consult = Service(clinic_id=clinic.id, slug="consult", name="Consultation", kind=ServiceKind.CONSULTATION,
                              duration_minutes=45)
            room = Chair(clinic_id=clinic.id, name="Room", kind=ChairKind.CONSULT)
            patient = Patient(clinic_id=clinic.id, full_name="Pat Migrated", email="pat@example.com",
                              phone="+13125550101", date_of_birth=date(1980, 1, 1))
            db.session.add_all([consult, room, patient])
            db.session.flush()
            fingerprint = booking_fingerprint(clinic.id, patient.id, consult.id, start, None, None)
            expected.append(fingerprint)
            # The same key in both clinics: allowed now that keys are per clinic.
            db.session.add(Appointment(clinic_id=clinic.id, service_id=consult.id, chair_id=room.id,
                                       patient_id=patient.id, starts_at=start, ends_at=start + timedelta(minutes=45),
                                       blocked_until=start + timedelta(minutes=45), idempotency_key="shared",
                                       idempotency_fingerprint=fingerprint))
        db.session.commit()
        db.session.remove()

        def keys() -> list[tuple[str | None, ...]]:
            with db.engine.connect() as conn:
                columns = "idempotency_key, idempotency_fingerprint" if "idempotency_fingerprint" in {
                    c["name"] for c in inspect(conn).get_columns("appointment")} else "idempotency_key"
                return [tuple(r) for r in conn.execute(text(f"SELECT {columns} FROM appointment ORDER BY id"))]

        downgrade(revision="c7e2a9d4f1b3")
        assert keys() == [("shared",), (None,)]  # unique across clinics again: the first keeps it
        upgrade()
        # Recomputed by the migration's own copy of the recipe: the same as the app's.
        assert keys() == [("shared", expected[0]), (None, None)]
        db.engine.dispose()


def test_embedding_columns_and_origins_go_down_and_up_with_requests_kept(empty_database: str) -> None:
    from datetime import date, datetime, timezone

    from alembic.script import ScriptDirectory
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from booking import ROOT
    from booking.models import Answer, Clinic, Concern, ConsultationRequest, EmbedOrigin, PreferredTime, Service, ServiceKind

    revision = "f1a2c3e4b5d6"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        clinic = Clinic(slug="mig", name="Clinic", timezone="America/Chicago", address="1 Test St",
                        phone="+13125550100", email="desk@clinic.example")
        db.session.add(clinic)
        db.session.flush()
        consult = Service(clinic_id=clinic.id, slug="consult", name="Consultation", kind=ServiceKind.CONSULTATION,
                          duration_minutes=45)
        db.session.add_all([consult, EmbedOrigin(clinic_id=clinic.id, origin="https://www.clinic.example")])
        db.session.flush()
        item = ConsultationRequest(
            clinic_id=clinic.id, service_id=consult.id, full_name="Pat Migrated", email="pat@example.com",
            phone="+13125550101", date_of_birth=date(1980, 1, 1), concern=Concern.ANXIETY,
            heart_condition=Answer.NO, substance_misuse=Answer.NO, psychosis_or_mania=Answer.NO,
            pregnancy=Answer.NO, support_person=Answer.YES, consent_privacy=True, consent_email=True,
            consent_phone=True, source="website", utm_source="newsletter",
        )
        item.preferred_times = [PreferredTime(clinic_id=clinic.id, rank=1,
                                              starts_at=datetime(2030, 4, 9, 14, tzinfo=timezone.utc))]
        db.session.add(item)
        db.session.commit()
        db.session.remove()

        def rows(sql: str) -> list[tuple[object, ...]]:
            with db.engine.connect() as conn:
                return [tuple(r) for r in conn.execute(text(sql))]

        before = ScriptDirectory(str(ROOT / "migrations")).get_revision(revision).down_revision
        downgrade(revision=before)
        assert "embed_origin" not in inspect(db.engine).get_table_names()
        assert "utm_source" not in {c["name"] for c in inspect(db.engine).get_columns("consultation_request")}
        assert rows("SELECT full_name FROM consultation_request") == [("Pat Migrated",)]
        assert rows("SELECT rank FROM preferred_time") == [(1,)]  # its children were not touched
        upgrade()
        assert rows("SELECT full_name, source, utm_source FROM consultation_request") == [("Pat Migrated", None, None)]
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE consultation_request SET utm_term = ''"))
def test_checkins_go_down_and_up_with_data(empty_database: str) -> None:
    from datetime import date, datetime, timedelta, timezone

    from sqlalchemy import text

    from booking.models import (
        Appointment,
        Chair,
        ChairKind,
        CheckIn,
        Clinic,
        Instrument,
        Patient,
        QuestionnaireResponse,
        Service,
        ServiceKind,
        ServiceQuestionnaire,
    )

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        start = datetime(2030, 4, 9, 14, tzinfo=timezone.utc)
        clinic = Clinic(slug="mig-checkin", name="Clinic", timezone="America/Chicago", address="1 Test St",
                        phone="+13125550100", email="desk@clinic.example")
        db.session.add(clinic)
        db.session.flush()
        infusion = Service(clinic_id=clinic.id, slug="infusion", name="Infusion", kind=ServiceKind.INFUSION,
                           duration_minutes=60, needs_chair=True)
        chair = Chair(clinic_id=clinic.id, name="Chair", kind=ChairKind.INFUSION)
        patient = Patient(clinic_id=clinic.id, full_name="Pat Migrated", email="pat@example.com",
                          phone="+13125550101", date_of_birth=date(1980, 1, 1))
        db.session.add_all([infusion, chair, patient])
        db.session.flush()
        visit = Appointment(clinic_id=clinic.id, service_id=infusion.id, chair_id=chair.id, patient_id=patient.id,
                            starts_at=start, ends_at=start + timedelta(hours=1), blocked_until=start + timedelta(hours=1))
        db.session.add_all([visit, ServiceQuestionnaire(clinic_id=clinic.id, service_id=infusion.id,
                                                        instrument=Instrument.PHQ9)])
        db.session.flush()
        checkin = CheckIn(clinic_id=clinic.id, appointment_id=visit.id, patient_id=patient.id, self_harm=True,
                          needs_clinician=True)
        db.session.add(checkin)
        db.session.flush()
        db.session.add(QuestionnaireResponse(clinic_id=clinic.id, checkin_id=checkin.id, instrument=Instrument.PHQ9,
                                             version="phq9-2001.1", answers=[0] * 8 + [1], total=1, band="minimal"))
        db.session.commit()
        db.session.remove()
        downgrade(revision="f3a9c2e7b1d5")
        tables = set(inspect(db.engine).get_table_names())
        assert "checkin" not in tables and "questionnaire_response" not in tables
        with db.engine.connect() as conn:  # what was there before stays
            assert conn.execute(text("SELECT count(*) FROM appointment")).scalar() == 1
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM checkin")).scalar() == 0
        db.engine.dispose()
