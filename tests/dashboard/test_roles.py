"""Each role sees and does exactly what it should: the status each gets, and what changed (or did not)."""
from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Clinic,
    ConsultationRequest,
    RequestStatus,
    ReviewDecision,
    Role,
)
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local

ROLES = [Role.FRONT_DESK, Role.CLINICIAN, Role.ADMIN]


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic()


FD, CL, AD = Role.FRONT_DESK, Role.CLINICIAN, Role.ADMIN
EVERYONE = {FD: 200, CL: 200, AD: 200}

# What each role gets for each page: 200, or 403 where the role lacks the permission.
PAGES = {
    "/dashboard/": EVERYONE,
    "/dashboard/day?date={day}": EVERYONE,
    "/dashboard/week": EVERYONE,
    "/dashboard/requests/": EVERYONE,
    "/dashboard/requests/{request}": EVERYONE,
    "/dashboard/patients/": EVERYONE,
    "/dashboard/patients/{patient}": EVERYONE,
    "/dashboard/patients/{patient}/series": EVERYONE,
    "/dashboard/appointments/{appointment}": EVERYONE,
    "/dashboard/messages": EVERYONE,
    "/dashboard/export": {FD: 200, CL: 403, AD: 200},
    "/dashboard/export.csv?from={day}&to={day}": {FD: 200, CL: 403, AD: 200},
    "/dashboard/settings/": {FD: 403, CL: 403, AD: 200},
    "/dashboard/audit": {FD: 403, CL: 403, AD: 200},
}


@pytest.fixture
def records(clinic: Clinic, make_request: Any, make_appointment: Any) -> dict[str, Any]:
    """A flagged request and a booked infusion, for the pages that show one."""
    item = make_request(clinic, local(clinic, days_ahead(clinic, 2), 9), flagged=True)
    appointment = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0],
                                   local(clinic, days_ahead(clinic, 1), 10))
    return {"request": item.id, "appointment": appointment.id, "patient": appointment.patient_id,
            "day": days_ahead(clinic, 1).isoformat()}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_what_each_role_gets_on_each_page(clinic: Clinic, records: dict[str, Any], signed_in: Any, role: Role) -> None:
    client = signed_in(clinic, role=role)
    got = {template: client.get(template.format(**records)).status_code for template in PAGES}
    assert got == {template: statuses[role] for template, statuses in PAGES.items()}


def _stored(model: type, record_id: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, record_id)


def _audited(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize(("role", "status"), [(FD, 403), (CL, 303), (AD, 403)], ids=lambda v: getattr(v, "value", v))
def test_only_a_clinician_records_a_review(clinic: Clinic, make_request: Any, signed_in: Any, role: Role,
                                          status: int) -> None:
    item = make_request(clinic, local(clinic, days_ahead(clinic, 2), 9), flagged=True)
    client = signed_in(clinic, role=role)
    response = client.post(f"/dashboard/requests/{item.id}/review", data={"decision": "needs_call", "note": "Call first."})
    assert response.status_code == status
    stored = _stored(ConsultationRequest, item.id)
    reviews = _audited("request_reviewed")
    if status == 303:
        assert (stored.review_decision, stored.review_note) == (ReviewDecision.NEEDS_CALL, "Call first.")
        assert stored.reviewed_by_id == client.user.id and stored.reviewed_at is not None
        assert stored.status is RequestStatus.NEEDS_REVIEW  # a call is needed: still waiting
        assert [(e.staff_id, e.entity_id, e.details["decision"]) for e in reviews] == [(client.user.id, item.id, "needs_call")]
    else:
        assert (stored.review_decision, stored.review_note, stored.reviewed_by_id, stored.reviewed_at) == (None, "", None, None)
        assert stored.status is RequestStatus.NEEDS_REVIEW
        assert reviews == []


def test_a_clinician_s_clearance_sends_the_request_back_to_the_queue(clinic: Clinic, make_request: Any,
                                                                    signed_in: Any) -> None:
    item = make_request(clinic, local(clinic, days_ahead(clinic, 2), 9), flagged=True)
    clinician = signed_in(clinic, role=CL)
    assert clinician.post(f"/dashboard/requests/{item.id}/review", data={"decision": "cleared"}).status_code == 303
    stored = _stored(ConsultationRequest, item.id)
    assert (stored.review_decision, stored.status) == (ReviewDecision.CLEARED, RequestStatus.NEW)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_every_role_moves_a_request_and_is_named_for_it(clinic: Clinic, make_request: Any, signed_in: Any,
                                                       role: Role) -> None:
    item = make_request(clinic, local(clinic, days_ahead(clinic, 2), 9))
    client = signed_in(clinic, role=role)
    response = client.post(f"/dashboard/requests/{item.id}/status", data={"status": "contacted"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/dashboard/requests/{item.id}")
    assert _stored(ConsultationRequest, item.id).status is RequestStatus.CONTACTED
    assert [(e.staff_id, e.entity_id) for e in _audited("request_contacted")] == [(client.user.id, item.id)]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_every_role_schedules_a_request(clinic: Clinic, make_request: Any, signed_in: Any, role: Role) -> None:
    start = local(clinic, days_ahead(clinic, 2), 9)
    item = make_request(clinic, start)
    response = signed_in(clinic, role=role).post(f"/dashboard/requests/{item.id}/schedule",
                                                 data={"start": start.isoformat()})
    assert response.status_code == 303
    stored = _stored(ConsultationRequest, item.id)
    assert stored.status is RequestStatus.SCHEDULED
    booked = db.session.scalars(select(Appointment).where(Appointment.request_id == item.id)).one()
    assert booked.starts_at == start and booked.status is AppointmentStatus.BOOKED


@pytest.mark.parametrize(("role", "status"), [(FD, 409), (CL, 303), (AD, 409)], ids=lambda v: getattr(v, "value", v))
def test_only_a_clinician_overrides_consult_first(clinic: Clinic, make_patient: Any, signed_in: Any, role: Role,
                                                 status: int) -> None:
    patient = make_patient(clinic)  # no consultation yet
    start = local(clinic, days_ahead(clinic, 6), 9)
    data = {"start": start.isoformat(), "service_id": service(clinic, "infusion").id, "override_consult_first": "y"}
    response = signed_in(clinic, role=role).post(f"/dashboard/patients/{patient.id}/book", data=data)
    assert response.status_code == status
    booked = list(db.session.scalars(select(Appointment).where(Appointment.patient_id == patient.id)))
    assert len(booked) == (1 if status == 303 else 0)
    assert len(_audited("consult_first_override")) == len(booked)


@pytest.mark.parametrize(("role", "status"), [(FD, 200), (CL, 403), (AD, 200)], ids=lambda v: getattr(v, "value", v))
def test_exports_are_for_the_front_desk_and_admins_and_each_is_logged(clinic: Clinic, records: dict[str, Any],
                                                                     signed_in: Any, role: Role, status: int) -> None:
    client = signed_in(clinic, role=role)
    day = records["day"]
    response = client.get(f"/dashboard/export.csv?from={day}&to={day}")
    assert response.status_code == status
    exports = _audited("appointments_exported")
    if status == 200:
        assert response.mimetype == "text/csv"
        assert len(response.get_data(as_text=True).strip().splitlines()) == 2  # the header and the infusion
        assert [(e.staff_id, e.details) for e in exports] == [(client.user.id, {"from": day, "to": day})]
    else:
        assert exports == []


@pytest.mark.parametrize(("role", "status"), [(FD, 403), (CL, 403), (AD, 303)], ids=lambda v: getattr(v, "value", v))
def test_only_an_admin_changes_the_booking_rules(clinic: Clinic, signed_in: Any, role: Role, status: int) -> None:
    rules = {"slot_step_minutes": "15", "min_notice_hours": "0", "horizon_days": "60", "reminder_days_before": "3",
             "reminder_evening_before": "y", "reminder_hours_before": "2"}
    response = signed_in(clinic, role=role).post("/dashboard/settings/rules", data=rules)
    assert response.status_code == status
    assert _stored(Clinic, clinic.id).slot_step_minutes == (15 if status == 303 else 30)
    assert len(_audited("settings_rules_changed")) == (1 if status == 303 else 0)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_health_answers_only_for_clinical_roles(clinic: Clinic, make_request: Any, signed_in: Any, role: Role) -> None:
    item = make_request(clinic, local(clinic, days_ahead(clinic, 2), 9), medications="CANARY-MEDICATION")
    page = signed_in(clinic, role=role).get(f"/dashboard/requests/{item.id}").get_data(as_text=True)
    assert ("CANARY-MEDICATION" in page) is (role in (Role.CLINICIAN, Role.ADMIN))


def test_navigation_shows_what_the_role_may_use(clinic: Clinic, signed_in: Any) -> None:
    desk = signed_in(clinic).get("/dashboard/").get_data(as_text=True)
    admin = signed_in(clinic, role=Role.ADMIN).get("/dashboard/").get_data(as_text=True)
    assert "/dashboard/settings/" not in desk and "/dashboard/audit" not in desk
    assert "/dashboard/settings/" in admin and "/dashboard/audit" in admin


def test_switching_clinics_only_to_ones_own(make_clinic: Any, signed_in: Any) -> None:
    a, b, c = make_clinic(name="Alpha"), make_clinic(name="Beta"), make_clinic(name="Gamma")
    client = signed_in(a, b)
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Alpha" in page
    # The switcher offers one's own clinics, by name, and nobody else's.
    assert re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page) == ["Alpha", "Beta"]
    assert client.post("/staff/clinic", data={"clinic_id": b.id}).status_code == 303
    assert "Beta" in client.get("/dashboard/").get_data(as_text=True)
    assert client.post("/staff/clinic", data={"clinic_id": c.id}).status_code == 404
    assert "Gamma" not in client.get("/dashboard/").get_data(as_text=True)
