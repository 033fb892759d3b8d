"""Staff scheduling: requests into consultations, moving, cancelling, outcomes, consult-first."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    AuditEvent,
    ChairKind,
    Clinic,
    Closure,
    ConsultationRequest,
    MessageKind,
    OutboxMessage,
    RequestStatus,
    Role,
    utcnow,
)
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.request_form import form_data


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(chairs=1)


def count(model: type, **where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def actions(clinic_id: int) -> list[AuditAction]:
    return list(db.session.scalars(select(AuditEvent.action).filter_by(clinic_id=clinic_id).order_by(AuditEvent.id)))


def test_schedule_a_request_into_a_preferred_time(clinic: Clinic, make_request: Any, signed_in: Any) -> None:
    start = local(clinic, days_ahead(clinic, 2), 9)
    item = make_request(clinic, start, local(clinic, days_ahead(clinic, 2), 11))
    client = signed_in(clinic)

    page = client.get(f"/dashboard/requests/{item.id}").get_data(as_text=True)
    assert f'value="{start.isoformat()}"' in page
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start.isoformat(), "key": key})
    assert response.status_code == 303

    db.session.expire_all()
    appointment = db.session.scalars(select(Appointment)).one()
    assert appointment.starts_at == start and appointment.request_id == item.id
    assert db.session.get(ConsultationRequest, item.id).status is RequestStatus.SCHEDULED
    assert appointment.patient_id == db.session.get(ConsultationRequest, item.id).patient_id
    assert count(OutboxMessage, kind=MessageKind.APPOINTMENT_BOOKED) == 1
    assert actions(clinic.id) == [AuditAction.REQUEST_VIEWED, AuditAction.APPOINTMENT_BOOKED, AuditAction.REQUEST_SCHEDULED]

    # The same form sent again (double click, back button) books nothing more.
    again = client.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start.isoformat(), "key": key})
    assert again.status_code == 303
    assert count(Appointment) == 1 and count(OutboxMessage, kind=MessageKind.APPOINTMENT_BOOKED) == 1


def test_busy_time_is_refused_with_nearest_free_times(
    clinic: Clinic, make_request: Any, make_appointment: Any, signed_in: Any
) -> None:
    start = local(clinic, days_ahead(clinic, 2), 9)
    room = chairs(clinic, kind=ChairKind.CONSULT)[0]
    make_appointment(clinic, service(clinic, "consult"), room, start)
    item = make_request(clinic, start)
    client = signed_in(clinic)
    response = client.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start.isoformat()})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "That time was just taken." in page and "Nearest free times" in page
    assert count(Appointment) == 1
    assert db.session.get(ConsultationRequest, item.id).status is RequestStatus.NEW


def test_flagged_request_waits_for_a_clinician(clinic: Clinic, make_request: Any, signed_in: Any) -> None:
    start = local(clinic, days_ahead(clinic, 2), 9)
    item = make_request(clinic, start, flagged=True)
    desk = signed_in(clinic)
    assert desk.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start.isoformat()}).status_code == 409
    assert desk.post(f"/dashboard/requests/{item.id}/review", data={"decision": "cleared"}).status_code == 403

    clinician = signed_in(clinic, role=Role.CLINICIAN)
    response = clinician.post(f"/dashboard/requests/{item.id}/review", data={"decision": "cleared", "note": "BP controlled"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ConsultationRequest, item.id).status is RequestStatus.NEW
    assert desk.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start.isoformat()}).status_code == 303
    assert AuditAction.REQUEST_REVIEWED in actions(clinic.id)


def test_a_flagged_request_cannot_be_scheduled_through_contacted(
    clinic: Clinic, make_request: Any, signed_in: Any
) -> None:
    start = local(clinic, days_ahead(clinic, 2), 9)
    item = make_request(clinic, start, flagged=True)
    desk = signed_in(clinic)
    # Calling the patient is fine; booking them before a clinician cleared them is not.
    assert desk.post(f"/dashboard/requests/{item.id}/status", data={"status": "contacted"}).status_code == 303
    assert desk.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start.isoformat()}).status_code == 409
    clinician = signed_in(clinic, role=Role.CLINICIAN)
    assert clinician.post(f"/dashboard/requests/{item.id}/review", data={"decision": "needs_call"}).status_code == 303
    assert desk.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start.isoformat()}).status_code == 409
    db.session.expire_all()
    assert db.session.get(ConsultationRequest, item.id).status is RequestStatus.CONTACTED
    assert db.session.scalars(select(Appointment)).all() == []
    assert clinician.post(f"/dashboard/requests/{item.id}/review", data={"decision": "cleared"}).status_code == 303
    assert desk.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start.isoformat()}).status_code == 303
    db.session.expire_all()
    assert db.session.get(ConsultationRequest, item.id).status is RequestStatus.SCHEDULED


def test_illegal_request_moves_are_refused(clinic: Clinic, make_request: Any, signed_in: Any) -> None:
    item = make_request(clinic)
    client = signed_in(clinic)
    assert client.post(f"/dashboard/requests/{item.id}/status", data={"status": "declined"}).status_code == 303
    # Declined is final; "scheduled" is never a manual move.
    assert client.post(f"/dashboard/requests/{item.id}/status", data={"status": "new"}).status_code == 409
    assert client.post(f"/dashboard/requests/{item.id}/status", data={"status": "scheduled"}).status_code == 409
    db.session.expire_all()
    assert db.session.get(ConsultationRequest, item.id).status is RequestStatus.DECLINED


@pytest.fixture
def booked(clinic: Clinic, make_appointment: Any) -> Appointment:
    room = chairs(clinic, kind=ChairKind.CONSULT)[0]
    return make_appointment(clinic, service(clinic, "consult"), room, local(clinic, days_ahead(clinic, 3), 10))


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda c: local(c, days_ahead(c, -2), 10), "in the past"),
        (lambda c: local(c, days_ahead(c, 3), 6), "outside opening hours"),
        (lambda c: local(c, days_ahead(c, 3), 17, 30), "outside opening hours"),  # would run past 18:00
        (lambda c: local(c, days_ahead(c, 5), 10), "closed"),
    ],
)
def test_reschedule_refusals_say_why(
    clinic: Clinic, booked: Appointment, signed_in: Any, when: Any, message: str
) -> None:
    db.session.add(Closure(clinic_id=clinic.id, start_date=days_ahead(clinic, 5), end_date=days_ahead(clinic, 5)))
    db.session.commit()
    client = signed_in(clinic)
    response = client.post(f"/dashboard/appointments/{booked.id}/reschedule", data={"start": when(clinic).isoformat()})
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Appointment, booked.id).version == 1


def test_reschedule_onto_busy_chair_is_refused(
    clinic: Clinic, booked: Appointment, make_appointment: Any, signed_in: Any
) -> None:
    other = local(clinic, days_ahead(clinic, 3), 14)
    make_appointment(clinic, service(clinic, "consult"), db.session.get(type(booked.chair), booked.chair_id), other)
    response = signed_in(clinic).post(
        f"/dashboard/appointments/{booked.id}/reschedule", data={"start": (other + timedelta(minutes=30)).isoformat()}
    )
    assert response.status_code == 409 and "just taken" in response.get_data(as_text=True)


def test_reschedule_moves_and_tells_the_patient(clinic: Clinic, booked: Appointment, signed_in: Any) -> None:
    new = local(clinic, days_ahead(clinic, 4), 15)
    response = signed_in(clinic).post(f"/dashboard/appointments/{booked.id}/reschedule", data={"start": new.isoformat()})
    assert response.status_code == 303
    db.session.expire_all()
    moved = db.session.get(Appointment, booked.id)
    assert moved.starts_at == new and moved.version == 2
    assert moved.ends_at == new + timedelta(minutes=45)
    assert count(OutboxMessage, kind=MessageKind.APPOINTMENT_RESCHEDULED) == 1


def test_cancel_needs_a_reason_and_frees_the_chair(clinic: Clinic, booked: Appointment, signed_in: Any) -> None:
    client = signed_in(clinic)
    assert client.post(f"/dashboard/appointments/{booked.id}/cancel", data={"reason": " "}).status_code == 422
    assert client.get(f"/dashboard/appointments/{booked.id}/cancel").status_code == 405
    db.session.expire_all()
    assert db.session.get(Appointment, booked.id).status is AppointmentStatus.BOOKED

    assert client.post(f"/dashboard/appointments/{booked.id}/cancel", data={"reason": "Patient unwell"}).status_code == 303
    db.session.expire_all()
    cancelled = db.session.get(Appointment, booked.id)
    assert cancelled.status is AppointmentStatus.CANCELLED and cancelled.cancel_reason == "Patient unwell"
    assert count(OutboxMessage, kind=MessageKind.APPOINTMENT_CANCELLED) == 1
    day = days_ahead(clinic, 3)
    body = client.get(f"/api/v1/clinics/{clinic.slug}/availability?service=consult&from={day}&days=1").get_json()
    assert booked.starts_at.astimezone(local(clinic, day, 10).tzinfo).isoformat() in body["dates"][0]["slots"]


def test_outcomes_follow_the_day(clinic: Clinic, make_appointment: Any, booked: Appointment, signed_in: Any) -> None:
    client = signed_in(clinic)
    # Not arrived before the day comes.
    assert client.post(f"/dashboard/appointments/{booked.id}/status", data={"status": "arrived"}).status_code == 409
    room = db.session.get(type(booked.chair), booked.chair_id)
    today = make_appointment(clinic, service(clinic, "consult"), room, utcnow().replace(microsecond=0) - timedelta(hours=1))
    assert client.post(f"/dashboard/appointments/{today.id}/status", data={"status": "completed"}).status_code == 409
    assert client.post(f"/dashboard/appointments/{today.id}/status", data={"status": "arrived"}).status_code == 303
    assert client.post(f"/dashboard/appointments/{today.id}/status", data={"status": "completed"}).status_code == 303
    assert client.post(f"/dashboard/appointments/{today.id}/status", data={"status": "no_show"}).status_code == 409
    db.session.expire_all()
    assert db.session.get(Appointment, today.id).status is AppointmentStatus.COMPLETED


def test_infusion_needs_a_completed_cleared_consultation(
    clinic: Clinic, make_patient: Any, make_appointment: Any, signed_in: Any
) -> None:
    infusion = service(clinic, "infusion")
    patient = make_patient(clinic)
    start = local(clinic, days_ahead(clinic, 6), 9)
    desk = signed_in(clinic)
    data = {"start": start.isoformat(), "service_id": infusion.id, "override_consult_first": "y"}
    response = desk.post(f"/dashboard/patients/{patient.id}/book", data=data)
    assert response.status_code == 409 and "consultation first" in response.get_data(as_text=True)  # front desk cannot override

    clinician = signed_in(clinic, role=Role.CLINICIAN)
    assert clinician.post(f"/dashboard/patients/{patient.id}/book", data=data).status_code == 303
    assert AuditAction.CONSULT_FIRST_OVERRIDE in actions(clinic.id)

    other = make_patient(clinic, "Olive Other")
    room = chairs(clinic, kind=ChairKind.CONSULT)[0]
    consult = make_appointment(clinic, service(clinic, "consult"), room, utcnow() - timedelta(days=3))
    consult.patient_id = other.id
    consult.status = AppointmentStatus.COMPLETED
    db.session.commit()
    later = {"start": local(clinic, days_ahead(clinic, 7), 9).isoformat(), "service_id": infusion.id}
    assert desk.post(f"/dashboard/patients/{other.id}/book", data=later).status_code == 303


def test_day_view_shows_chairs_recovery_and_flags(
    clinic: Clinic, make_patient: Any, make_appointment: Any, signed_in: Any
) -> None:
    chair = chairs(clinic)[0]
    appointment = make_appointment(clinic, service(clinic, "infusion"), chair, local(clinic, days_ahead(clinic, 1), 9))
    page = signed_in(clinic).get(f"/dashboard/day?date={days_ahead(clinic, 1)}").get_data(as_text=True)
    assert "Chair 1" in page and "Pat Booked" in page
    assert "Recovery until 10:45 AM" in page
    assert 'rowspan="4"' in page  # 60 minutes in 15-minute rows
    assert "New patient" in page and "Attendance not confirmed" in page and "No driver named" in page
    assert f"/dashboard/appointments/{appointment.id}" in page


def test_instant_booking_from_the_public_form(clinic: Clinic, client: Any) -> None:
    clinic.instant_booking = True
    db.session.commit()
    response = client.post(f"/{clinic.slug}/request", data=form_data(clinic))
    assert response.status_code == 303
    item = db.session.scalars(select(ConsultationRequest)).one()
    assert item.status is RequestStatus.SCHEDULED
    appointment = db.session.scalars(select(Appointment)).one()
    assert appointment.starts_at == item.preferred_times[0].starts_at
    assert "is booked" in client.get(response.headers["Location"]).get_data(as_text=True)

    flagged = form_data(clinic, heart_condition="yes", email="second@example.com")
    assert client.post(f"/{clinic.slug}/request", data=flagged).status_code == 303
    assert count(Appointment) == 1  # a flagged request waits for a clinician
