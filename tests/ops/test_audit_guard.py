"""The audit log nobody can edit: PostgreSQL's triggers, and foreign keys that keep rows from going."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from booking.extensions import db
from booking.models import AuditAction, AuditEvent, AuditPurge, Clinic, Role, StaffUser, utcnow
from booking.operations import audit
from tests.support.database import TEST_DATABASE_URL

postgres_only = pytest.mark.skipif(not TEST_DATABASE_URL, reason="the triggers exist on PostgreSQL only")


def _events(clinic: Clinic, staff: StaffUser | None, *ages_days: int) -> None:
    for age in ages_days:
        event = audit.record(clinic.id, staff.id if staff else None, AuditAction.SETTINGS_CHAIR_ADDED, "chair", 1)
        event.at = utcnow() - timedelta(days=age)
    db.session.commit()


def _count(**filters: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).filter_by(**filters)) or 0


@postgres_only
@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(action=AuditAction.REQUEST_VIEWED),
    update(AuditEvent).values(actor_name="Someone Else"),
    delete(AuditEvent),
    text("TRUNCATE audit_event"),
])
def test_postgres_refuses_changing_or_removing_audit_rows(make_clinic: Any, statement: Any) -> None:
    clinic = make_clinic()
    _events(clinic, None, 1, 2)
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(statement)
    db.session.rollback()
    assert _count(clinic_id=clinic.id) == 2
    assert set(db.session.scalars(select(AuditEvent.action))) == {AuditAction.SETTINGS_CHAIR_ADDED}


@postgres_only
def test_a_purge_goes_through_its_record_and_the_record_cannot_be_undone(make_clinic: Any) -> None:
    clinic, other = make_clinic(), make_clinic()
    _events(clinic, None, 5, 400, 800)
    _events(other, None, 800)
    purge = AuditPurge(clinic_id=clinic.id, before=utcnow() - timedelta(days=365), reason="retention: 1 year")
    db.session.add(purge)
    db.session.commit()
    db.session.refresh(purge)
    assert purge.removed == 2
    assert _count(clinic_id=clinic.id) == 1 and _count(clinic_id=other.id) == 1
    for statement in (update(AuditPurge).values(removed=0), delete(AuditPurge), text("TRUNCATE audit_purge")):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
    assert db.session.scalars(select(AuditPurge.removed)).all() == [2]


def test_a_clinic_with_audit_rows_cannot_be_deleted(make_clinic: Any) -> None:
    clinic = make_clinic()
    _events(clinic, None, 1)
    with pytest.raises(IntegrityError):
        db.session.execute(delete(Clinic).where(Clinic.id == clinic.id))
    db.session.rollback()
    assert _count(clinic_id=clinic.id) == 1


def test_a_staff_member_with_audit_rows_cannot_be_deleted_and_their_name_stays(
    make_clinic: Any, make_staff: Any
) -> None:
    clinic = make_clinic()
    staff = make_staff(clinic, role=Role.ADMIN)
    written = staff.full_name
    _events(clinic, staff, 1)
    with pytest.raises(IntegrityError):
        db.session.execute(delete(StaffUser).where(StaffUser.id == staff.id))
    db.session.rollback()
    staff.full_name = "Renamed Later"
    db.session.commit()
    event = db.session.scalars(select(AuditEvent)).one()
    assert event.staff_id == staff.id and event.actor_name == written


@postgres_only
def test_the_documented_app_role_purges_only_through_the_record(make_clinic: Any) -> None:
    """As docs/operations.md sets it up: the app's role has no DELETE on the audit log at all,
    and the purge still works (its function runs as the owner)."""
    clinic = make_clinic()
    _events(clinic, None, 800, 1)
    role = "booking_app_audit_test"
    db.session.execute(text(f"DROP ROLE IF EXISTS {role}"))
    db.session.execute(text(f"CREATE ROLE {role} NOLOGIN"))
    db.session.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
    db.session.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    db.session.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_purge FROM {role}"))
    db.session.commit()
    try:
        db.session.execute(text(f"SET LOCAL ROLE {role}"))
        with pytest.raises(DBAPIError, match="permission denied"):
            db.session.execute(delete(AuditEvent))
        db.session.rollback()
        db.session.execute(text(f"SET LOCAL ROLE {role}"))
        db.session.add(AuditPurge(clinic_id=clinic.id, before=utcnow() - timedelta(days=365), reason="test"))
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 1
        db.session.commit()
    finally:
        db.session.rollback()
        db.session.execute(text(f"DROP OWNED BY {role}"))
        db.session.execute(text(f"DROP ROLE {role}"))
        db.session.commit()
