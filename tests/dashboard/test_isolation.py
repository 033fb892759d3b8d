"""Tenant isolation: clinic A's staff never reach clinic B's records, by any route."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from booking.extensions import db
from booking.models import (
    Appointment,
    Chair,
    ChangeRequest,
    CheckIn,
    Closure,
    ConsultationRequest,
    EmbedOrigin,
    InboundKind,
    MessageKind,
    OpeningHours,
    OutboxMessage,
    OutboxStatus,
    Patient,
    Role,
    Service,
    SmsInbound,
    utcnow,
)
from booking.operations.notices import notify_patient
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local

CANARY = "Bertha Canary-Zed"


@pytest.fixture
def world(make_clinic: Any, make_request: Any, make_appointment: Any, make_staff: Any) -> dict[str, Any]:
    """Clinic A, and clinic B full of canary data."""
    a, b = make_clinic(name="Clinic Alpha"), make_clinic(name="Clinic Beta")
    item = make_request(b, local(b, days_ahead(b, 2), 9), name=CANARY)
    appointment = make_appointment(b, service(b, "infusion"), chairs(b)[0], local(b, days_ahead(b, 1), 10))
    patient = db.session.get(Patient, appointment.patient_id)
    patient.full_name = CANARY
    db.session.add(Closure(clinic_id=b.id, start_date=days_ahead(b, 9), end_date=days_ahead(b, 9), reason="B only"))
    notify_patient(b, appointment, MessageKind.APPOINTMENT_BOOKED, utcnow())
    change = ChangeRequest(clinic_id=b.id, appointment_id=appointment.id,
                           preferred_times=[local(b, days_ahead(b, 4), 9).isoformat()])
    db.session.add(change)
    embed_origin = EmbedOrigin(clinic_id=b.id, origin="https://beta.example")
    db.session.add(embed_origin)
    checkin = CheckIn(clinic_id=b.id, appointment_id=appointment.id, patient_id=patient.id, self_harm=True,
                      needs_clinician=True, medication_change=CANARY)
    db.session.add(checkin)
    inbound = SmsInbound(clinic_id=b.id, provider_message_id="SM" + "c" * 32, phone=patient.phone, body=CANARY,
                         kind=InboundKind.OTHER, patient_id=patient.id)
    db.session.add(inbound)
    db.session.execute(update(OutboxMessage).values(status=OutboxStatus.FAILED))
    db.session.commit()
    return {
        "a": a,
        "b": b,
        "ids": {
            "request_id": item.id,
            "appointment_id": appointment.id,
            "patient_id": patient.id,
            "chair_id": chairs(b)[0].id,
            "service_id": service(b, "infusion").id,
            "closure_id": db.session.scalar(select(Closure.id).filter_by(clinic_id=b.id)),
            "hours_id": db.session.scalar(select(OpeningHours.id).filter_by(clinic_id=b.id)),
            "message_id": db.session.scalar(select(OutboxMessage.id).filter_by(clinic_id=b.id)),
            "change_id": change.id,
            "origin_id": embed_origin.id,
            "staff_id": make_staff(b).id,
            "checkin_id": checkin.id,
            "inbound_id": inbound.id,
        },
    }


def snapshot(clinic_id: int) -> list[Any]:
    db.session.expire_all()
    rows: list[Any] = []
    for model in (ConsultationRequest, Appointment, Patient, Chair, Service, Closure, OpeningHours, OutboxMessage,
                  ChangeRequest, EmbedOrigin, CheckIn, SmsInbound):
        for row in db.session.scalars(select(model).filter_by(clinic_id=clinic_id).order_by(model.id)):
            rows.append({c.key: getattr(row, c.key) for c in row.__table__.columns})
    return rows


def test_every_id_route_gives_404_for_another_clinics_ids(app: Flask, world: dict[str, Any], signed_in: Any) -> None:
    client = signed_in(world["a"], role=Role.ADMIN)
    clinician = signed_in(world["a"], role=Role.CLINICIAN)
    before = snapshot(world["b"].id)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("dashboard.") or not rule.arguments:
            continue
        unknown = set(rule.arguments) - set(world["ids"])
        assert not unknown, f"{rule.rule}: add canary ids for {unknown}"
        path = rule.build({k: world["ids"][k] for k in rule.arguments})[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            form = {"status": "contacted", "decision": "cleared", "reason": "x", "name": "x",
                    "start": local(world["b"], days_ahead(world["b"], 3), 9).isoformat()}
            who = clinician if rule.endpoint in ("dashboard.request_review", "dashboard.checkin_acknowledge") else client
            response = who.get(path) if method == "GET" else who.post(path, data=form)
            assert response.status_code == 404, (method, path, response.status_code)
            assert CANARY not in response.get_data(as_text=True)
            checked += 1
    assert checked >= 20
    assert snapshot(world["b"].id) == before


def test_other_clinics_ids_in_form_bodies_are_404(world: dict[str, Any], make_patient: Any, signed_in: Any) -> None:
    a = world["a"]
    patient = make_patient(a)
    client = signed_in(a)
    data = {"start": local(a, days_ahead(a, 3), 9).isoformat(), "service_id": world["ids"]["service_id"]}
    assert client.post(f"/dashboard/patients/{patient.id}/book", data=data).status_code == 404
    series = {"service_id": world["ids"]["service_id"], "sessions": [local(a, days_ahead(a, 3), 9).strftime("%Y-%m-%dT%H:%M")]}
    assert client.post(f"/dashboard/patients/{patient.id}/series", data=series).status_code == 404
    assert client.post("/staff/clinic", data={"clinic_id": world["b"].id}).status_code == 404


def test_no_canary_in_any_page_or_export(world: dict[str, Any], signed_in: Any) -> None:
    a, b = world["a"], world["b"]
    client = signed_in(a, role=Role.ADMIN)
    day = days_ahead(b, 1)
    pages = [
        "/dashboard/", f"/dashboard/day?date={day}", "/dashboard/week", f"/dashboard/week?start={day}",
        "/dashboard/requests/", "/dashboard/requests/?status=all", "/dashboard/patients/",
        "/dashboard/patients/?q=Canary", "/dashboard/patients/?q=bertha", "/dashboard/audit",
        f"/dashboard/export.csv?from={day - timedelta(days=5)}&to={day + timedelta(days=30)}",
        "/dashboard/settings/", "/dashboard/messages", "/dashboard/messages?status=failed",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert CANARY not in body and "Canary" not in body.replace("q=Canary", "").replace('value="Canary"', ""), path
        assert "B only" not in body, path
