"""The documented backup restores: pg_dump -Fc a populated database, pg_restore it into a new one, use it."""
from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from booking import create_app
from booking.extensions import db
from booking.models import AuditAction, Base, Role
from booking.operations import audit
from tests.factories import STAFF_PASSWORD, chairs, create_appointment, create_clinic, create_staff, service
from tests.support.clinic_time import days_ahead, local
from tests.support.database import TEST_DATABASE_URL
from tests.support.request_form import form_data

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="a PostgreSQL backup (set TEST_DATABASE_URL)"),
    pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"), reason="no pg_dump"),
]


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two new, empty databases on the test server: the original and the one restored into."""
    server = make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg")  # type: ignore[arg-type]
    names = [f"booking_backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("live", "restored")]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        live, restored = (server.set(database=n).render_as_string(hide_password=False) for n in names)
        yield live, restored
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _app(url: str):  # type: ignore[no-untyped-def]
    return create_app({"TESTING": True, "SECRET_KEY": "backup-test", "SQLALCHEMY_DATABASE_URI": url,
                       "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})


def _snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in id order, and the migration version."""
    tables = {}
    for table in Base.metadata.sorted_tables:
        order = list(table.primary_key.columns)
        tables[table.name] = [tuple(r) for r in db.session.execute(table.select().order_by(*order))]
    tables["alembic_version"] = [tuple(r) for r in db.session.execute(text("SELECT * FROM alembic_version"))]
    return tables


def test_a_dump_restores_into_a_new_database_that_serves(databases: tuple[str, str], tmp_path: Path) -> None:
    live_url, restored_url = databases
    live = _app(live_url)
    with live.app_context():
        upgrade()  # as production: migrations, so the version and the triggers are what Alembic made
        clinic = create_clinic(1, 2)
        staff = create_staff(1, clinic, role=Role.ADMIN)
        day = days_ahead(clinic, 2)
        create_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, day, 10))
        audit.record(clinic.id, staff.id, AuditAction.SETTINGS_CHAIR_ADDED, "chair", 1)
        db.session.commit()
        assert live.test_client().post(f"/{clinic.slug}/request", data=form_data(clinic)).status_code == 303
        before = _snapshot()
        slug, email = clinic.slug, staff.email
        db.session.remove()
        db.engine.dispose()
    assert before["outbox_message"] and before["audit_event"] and before["consultation_request"]

    dump = tmp_path / "booking.dump"
    subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), _libpq(live_url)], check=True)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", _libpq(restored_url), str(dump)],
                   check=True)

    restored = _app(restored_url)
    with restored.app_context():
        assert _snapshot() == before
        client = restored.test_client()
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.json
        assert client.get(f"/{slug}/").status_code == 200
        api = client.get(f"/api/v1/clinics/{slug}/availability?service=consult&days=3")
        assert api.status_code == 200 and api.json["dates"]
        assert client.post("/staff/login", data={"email": email, "password": STAFF_PASSWORD}).status_code == 303
        assert client.get(f"/dashboard/day?date={day}").status_code == 200
        assert client.get("/dashboard/requests/").status_code == 200
        assert client.get("/dashboard/audit").status_code == 200
        # The audit log is still append-only after a restore.
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("DELETE FROM audit_event"))
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
