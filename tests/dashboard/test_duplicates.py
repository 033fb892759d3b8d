"""Duplicate requests are flagged in the queue, and can be merged into the existing patient (audited)."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Appointment, AuditAction, AuditEvent, Patient, utcnow
from tests.factories import create_patient, create_request


def test_a_request_from_a_known_patient_is_flagged_and_merged(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    patient = create_patient(clinic, "Quinn Known")
    ten = datetime.combine(clinic.today(utcnow()) + timedelta(days=2), time(10), tzinfo=clinic.zone)
    item = create_request(clinic, ten, name="Quinn Requester")
    item.email = patient.email.upper()
    db.session.commit()
    client = signed_in(clinic)
    queue = client.get("/dashboard/requests/").get_data(as_text=True)
    assert "Possible duplicate (email)" in queue and f"/dashboard/patients/{patient.id}" in queue
    assert f"/dashboard/requests/{item.id}/merge" in queue
    answer = client.post(f"/dashboard/requests/{item.id}/merge", data={"patient_id": patient.id, "back": "queue"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/dashboard/requests/")
    db.session.refresh(item)
    assert item.patient_id == patient.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.REQUEST_MERGED))
    assert event.entity_id == item.id and event.details == {"patient_id": patient.id}
    assert "Possible duplicate" not in client.get("/dashboard/requests/").get_data(as_text=True)
    # Booking it now uses the existing record: no second patient.
    booked = client.post(f"/dashboard/requests/{item.id}/schedule",
                         data={"start": item.preferred_times[0].starts_at.isoformat()})
    assert booked.status_code == 303
    assert db.session.scalars(select(Appointment.patient_id)).all() == [patient.id]
    assert db.session.scalar(select(func.count()).select_from(Patient)) == 1


def test_two_requests_with_the_same_phone_flag_the_later_one(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    first = create_request(clinic, utcnow() + timedelta(days=2), name="Riley One")
    second = create_request(clinic, utcnow() + timedelta(days=2), name="Sam Two")  # same factory phone
    page = signed_in(clinic).get("/dashboard/requests/").get_data(as_text=True)
    assert page.count("Possible duplicate (phone)") == 1
    assert f"/dashboard/requests/{first.id}\">an earlier request" in page
    assert f"/dashboard/requests/{second.id}/merge" not in page  # no patient to merge into yet


def test_merging_into_a_patient_it_does_not_match_is_refused(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    stranger = create_patient(clinic, "Totally Different")
    stranger.email, stranger.phone = "x@y.org", "+13125550999"
    db.session.commit()
    item = create_request(clinic, utcnow() + timedelta(days=2), name="Una Other")
    answer = signed_in(clinic).post(f"/dashboard/requests/{item.id}/merge", data={"patient_id": stranger.id})
    assert answer.status_code == 303
    db.session.refresh(item)
    assert item.patient_id is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.REQUEST_MERGED)) is None


def test_another_clinic_s_patient_is_never_a_duplicate(make_clinic: Any, signed_in: Any) -> None:
    clinic, other = make_clinic(), make_clinic()
    create_patient(other, "Quinn Known")
    create_request(clinic, utcnow() + timedelta(days=2), name="Quinn Known")
    assert "Possible duplicate" not in signed_in(clinic).get("/dashboard/requests/").get_data(as_text=True)
