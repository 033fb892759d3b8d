"""The audit log: newest first in local time, one clinic only, fifty a page, admins only."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from booking.extensions import db
from booking.models import AuditAction, Clinic, Role
from booking.operations import audit


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions")  # America/Chicago, UTC-6 in January


def _events(clinic: Clinic, staff_id: int | None, n: int, action: AuditAction = AuditAction.SETTINGS_CHAIR_ADDED,
            start: datetime | None = None) -> None:
    start = start or utc(2027, 1, 15, 15)
    for i in range(n):
        event = audit.record(clinic.id, staff_id, action, "clinic", clinic.id, chair_id=i)
        event.at = start + timedelta(minutes=i)
    db.session.commit()


def test_audit_log_is_newest_first_in_local_time(signed_in: Any, clinic: Clinic, make_clinic: Any) -> None:
    client = signed_in(clinic, role=Role.ADMIN)
    other = make_clinic(name="Other Clinic")
    _events(clinic, client.user.id, 2)  # type: ignore[attr-defined]
    _events(other, None, 1, action=AuditAction.SERIES_BOOKED)
    page = client.get("/dashboard/audit").get_data(as_text=True)
    assert page.index("2027-01-15 09:01") < page.index("2027-01-15 09:00")  # 15:01 UTC is 09:01 in Chicago
    assert client.user.full_name in page  # type: ignore[attr-defined]
    assert "Chair or room added" in page and f"clinic #{clinic.id}" in page
    assert "Infusion series booked" not in page  # the other clinic's event


def test_audit_log_pages_by_fifty_and_filters_by_action(signed_in: Any, clinic: Clinic) -> None:
    client = signed_in(clinic, role=Role.ADMIN)
    _events(clinic, None, 51)
    _events(clinic, None, 1, action=AuditAction.APPOINTMENTS_EXPORTED, start=utc(2026, 1, 1))
    first = client.get("/dashboard/audit").get_data(as_text=True)
    second = client.get("/dashboard/audit?page=2").get_data(as_text=True)
    assert first.count("<time ") == 50 and second.count("<time ") == 2
    assert "page 1 of 2" in first and "Appointments exported" in second
    filtered = client.get("/dashboard/audit?action=appointments_exported").get_data(as_text=True)
    assert filtered.count("<time ") == 1 and "2026-01-01" in filtered
    assert '<option value="appointments_exported" selected>Appointments exported</option>' in filtered
    assert client.get("/dashboard/audit?action=no_such_action").status_code == 400


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINICIAN])
def test_audit_log_is_for_admins_only(signed_in: Any, clinic: Clinic, role: Role) -> None:
    assert signed_in(clinic, role=role).get("/dashboard/audit").status_code == 403


def test_audit_log_names_the_subject_with_a_link_and_the_patient_s_own_actions(
    signed_in: Any, clinic: Clinic, make_appointment: Any, make_request: Any
) -> None:
    from tests.factories import chairs, service

    client = signed_in(clinic, role=Role.ADMIN)
    appointment = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], utc(2027, 1, 15, 15))
    item = make_request(clinic, utc(2027, 1, 20, 15), name="Rae Requester")
    audit.record(clinic.id, None, AuditAction.APPOINTMENT_CONFIRMED_BY_PATIENT, "appointment", appointment.id)
    audit.record(clinic.id, client.user.id, AuditAction.REQUEST_VIEWED,  # type: ignore[attr-defined]
                 "consultation_request", item.id)
    audit.record(clinic.id, None, AuditAction.MESSAGE_RETRIED, "outbox_message", 7)
    db.session.commit()
    page = client.get("/dashboard/audit").get_data(as_text=True)
    assert f'<a href="/dashboard/appointments/{appointment.id}">Pat Booked</a>' in page
    assert f'<a href="/dashboard/requests/{item.id}">Rae Requester</a>' in page
    assert "patient (secure link)" in page and "Patient confirmed attendance" in page
    assert "(system)" in page and "outbox message #7" in page
