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
