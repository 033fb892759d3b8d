"""CSV export: local times, one clinic only, inert cells, recorded, right roles."""
from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta, timezone
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.dashboard.export import CSV_HEADER, csv_safe
from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    AuditEvent,
    Canceller,
    Chair,
    Clinic,
    Patient,
    Role,
    Service,
    utcnow,
)


def service(clinic: Clinic, slug: str) -> Service:
    return db.session.scalar(select(Service).filter_by(clinic_id=clinic.id, slug=slug))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions")  # America/Chicago, UTC-6 in January


def book(make_appointment: Any, clinic: Clinic, start: datetime, patient: str, slug: str = "consult",
         **overrides: Any) -> Appointment:
    kind_chair = "Room" if slug != "infusion" else "Chair 1"
    chair = db.session.scalar(select(Chair).filter_by(clinic_id=clinic.id, name=kind_chair))
    appointment = make_appointment(clinic, service(clinic, slug), chair, start, **overrides)
    db.session.get(Patient, appointment.patient_id).full_name = patient
    db.session.commit()
    return appointment


def export(client: FlaskClient, first: str, last: str) -> Any:
    return client.get(f"/dashboard/export.csv?from={first}&to={last}")


def rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_export_lists_the_clinics_appointments_in_local_time(
    signed_in: Any, clinic: Clinic, make_clinic: Any, make_appointment: Any
) -> None:
    other = make_clinic(name="Other Clinic")
    book(make_appointment, other, utc(2027, 1, 15, 16), "Canary Zebra")
    book(make_appointment, clinic, utc(2027, 1, 15, 15), "Ada Early")
    book(make_appointment, clinic, utc(2027, 1, 16, 5, 30), "Bo Late", slug="infusion")  # 23:30 on the 15th, locally
    book(make_appointment, clinic, utc(2027, 1, 16, 6), "Cy Nextday")  # midnight on the 16th, locally
    book(make_appointment, clinic, utc(2027, 1, 14, 5, 59), "Di Daybefore")  # 23:59 on the 13th
    client = signed_in(clinic, role=Role.FRONT_DESK)
    response = export(client, "2027-01-14", "2027-01-15")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    table = rows(response)
    assert table[0] == list(CSV_HEADER)
    assert [[r[0], r[3], r[4], r[5], r[6], r[7], r[8], r[9]] for r in table[1:]] == [
        ["Ada Early", "Initial consultation", "Room", "2027-01-15 09:00", "2027-01-15T09:00:00-06:00",
         "2027-01-15 09:45", "2027-01-15T09:45:00-06:00", "booked"],
        ["Bo Late", "Infusion", "Chair 1", "2027-01-15 23:30", "2027-01-15T23:30:00-06:00",
         "2027-01-16 00:30", "2027-01-16T00:30:00-06:00", "booked"],
    ]
    assert "Canary Zebra" not in response.get_data(as_text=True)


def test_export_uses_each_dates_own_offset(signed_in: Any, clinic: Clinic, make_appointment: Any) -> None:
    book(make_appointment, clinic, utc(2027, 7, 1, 14), "Summer Person")
    response = export(signed_in(clinic, role=Role.ADMIN), "2027-07-01", "2027-07-01")
    assert rows(response)[1][5:9] == ["2027-07-01 09:00", "2027-07-01T09:00:00-05:00",
                                      "2027-07-01 09:45", "2027-07-01T09:45:00-05:00"]


def test_export_cells_cannot_run_as_formulas(signed_in: Any, clinic: Clinic, make_appointment: Any) -> None:
    book(make_appointment, clinic, utc(2027, 1, 15, 15), '=HYPERLINK("http://evil.example","x")')
    response = export(signed_in(clinic, role=Role.FRONT_DESK), "2027-01-15", "2027-01-15")
    assert rows(response)[1][0] == '\'=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Ann = Bob", "Ann = Bob"), ("2027-01-15T09:00:00-06:00", "2027-01-15T09:00:00-06:00"), ("", ""),
])
def test_csv_safe(value: str, expected: str) -> None:
    assert csv_safe(value) == expected


def test_export_is_audited_without_patient_details(signed_in: Any, clinic: Clinic, make_appointment: Any) -> None:
    book(make_appointment, clinic, utc(2027, 1, 15, 15), "Ada Early")
    client = signed_in(clinic, role=Role.FRONT_DESK)
    assert export(client, "2027-01-01", "2027-01-31").status_code == 200
    db.session.rollback()
    [event] = db.session.scalars(select(AuditEvent)).all()
    assert (event.action, event.clinic_id, event.entity, event.entity_id) == (
        AuditAction.APPOINTMENTS_EXPORTED, clinic.id, "clinic", clinic.id)
    assert event.staff_id == client.user.id  # type: ignore[attr-defined]
    assert event.details == {"from": "2027-01-01", "to": "2027-01-31"}


@pytest.mark.parametrize("query,message", [
    ("", "Enter the first date"),
    ("from=2027-01-01", "Enter the last date"),
    ("from=2027-02-30&to=2027-03-01", "Enter the first date as YYYY-MM-DD"),
    ("from=01/02/2027&to=2027-03-01", "Enter the first date as YYYY-MM-DD"),
    ("from=2027-03-01&to=2027-02-01", "The last date cannot be before the first date."),
    ("from=2024-01-01&to=2025-01-01", "Export at most 366 days at a time."),
])
def test_bad_export_ranges_get_a_clear_400(signed_in: Any, clinic: Clinic, query: str, message: str) -> None:
    response = signed_in(clinic, role=Role.ADMIN).get(f"/dashboard/export.csv?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalars(select(AuditEvent)).all() == []


def test_a_leap_year_is_not_too_long(signed_in: Any, clinic: Clinic) -> None:
    assert export(signed_in(clinic, role=Role.ADMIN), "2024-01-01", "2024-12-31").status_code == 200


def test_export_form_offers_the_dates(signed_in: Any, clinic: Clinic) -> None:
    response = signed_in(clinic, role=Role.FRONT_DESK).get("/dashboard/export")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="from"' in page and 'name="to"' in page and "/dashboard/export.csv" in page


def test_clinicians_cannot_export(signed_in: Any, clinic: Clinic) -> None:
    client = signed_in(clinic, role=Role.CLINICIAN)
    assert export(client, "2027-01-01", "2027-01-31").status_code == 403
    assert client.get("/dashboard/export").status_code == 403
    db.session.rollback()
    assert db.session.scalars(select(AuditEvent)).all() == []




def test_the_default_range_is_the_next_thirty_days_and_finds_upcoming_visits(
    signed_in: Any, clinic: Clinic, make_appointment: Any
) -> None:
    today = clinic.today(utcnow())
    book(make_appointment, clinic, datetime.combine(today + timedelta(days=3), time(10), tzinfo=clinic.zone), "Soon")
    client = signed_in(clinic, role=Role.FRONT_DESK)
    page = client.get("/dashboard/export").get_data(as_text=True)
    first, last = today.isoformat(), (today + timedelta(days=29)).isoformat()
    assert f'value="{first}"' in page and f'value="{last}"' in page
    assert "Soon" in export(client, first, last).get_data(as_text=True)


def test_export_has_contact_attendance_driver_and_cancellation(
    signed_in: Any, clinic: Clinic, make_appointment: Any, make_staff: Any
) -> None:
    desk = make_staff(clinic, role=Role.FRONT_DESK)
    book(make_appointment, clinic, utc(2027, 1, 15, 16), "Ann Ready", slug="infusion",
         patient_confirmed_at=utc(2027, 1, 14, 15), driver_name="Dee Driver", driver_phone="+13125550199",
         driver_confirmed_at=utc(2027, 1, 14, 18))
    book(make_appointment, clinic, utc(2027, 1, 15, 18), "Bo Gone", status=AppointmentStatus.CANCELLED,
         cancelled_at=utc(2027, 1, 14, 9), cancelled_by=Canceller.STAFF, cancelled_by_id=desk.id,
         cancel_reason="Clinic closed early")
    book(make_appointment, clinic, utc(2027, 1, 15, 20), "Cy Self", status=AppointmentStatus.CANCELLED,
         cancelled_at=utc(2027, 1, 14, 9), cancelled_by=Canceller.PATIENT, cancel_reason="Feeling unwell")
    table = rows(export(signed_in(clinic, role=Role.ADMIN), "2027-01-15", "2027-01-15"))
    named = {r[0]: dict(zip(CSV_HEADER, r, strict=True)) for r in table[1:]}
    ann = named["Ann Ready"]
    assert (ann["Email"], ann["Phone"]) == ("pat@example.com", "(312) 555-0100")
    assert ann["Attendance confirmed"] == "2027-01-14 09:00"
    assert (ann["Driver"], ann["Driver phone"], ann["Driver confirmed"]) == (
        "Dee Driver", "(312) 555-0199", "2027-01-14 12:00")
    assert (named["Bo Gone"]["Cancellation reason"], named["Bo Gone"]["Cancelled by"]) == (
        "Clinic closed early", f"staff: {desk.full_name}")
    assert named["Cy Self"]["Cancelled by"] == "patient (secure link)"
