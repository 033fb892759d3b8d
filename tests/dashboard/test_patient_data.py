"""A patient's rights: an admin exports one patient's data (JSON, CSV) and erases a patient; both audited."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.models import (
    STAFF_KINDS,
    Appointment,
    AuditAction,
    AuditEvent,
    CheckIn,
    Clinic,
    ConsultationRequest,
    InboundKind,
    Instrument,
    ManageToken,
    OutboxMessage,
    OutboxStatus,
    Patient,
    QuestionnaireResponse,
    Role,
    SmsConsent,
    SmsInbound,
)
from tests.support.manage import link_for
from tests.support.request_form import form_data


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions", instant_booking=True)


@pytest.fixture
def patient(app: Any, clinic: Clinic) -> Patient:
    """A patient made by the public form with instant booking: a request, a visit, messages."""
    data = form_data(clinic, full_name="Vesna Exportova", email="vesna@example.com",
                     medications="CANARYMED lithium", concern_details="Long story")
    assert app.test_client().post(f"/{clinic.slug}/request", data=data).status_code == 303
    found = db.session.scalars(select(Patient)).one()
    appointment = db.session.scalars(select(Appointment)).one()
    appointment.driver_name = "Drew Driver"
    db.session.commit()
    return found


def _events(action: AuditAction) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action)))


def test_admin_exports_json_with_requests_visits_messages_and_answers(
    signed_in: Any, clinic: Clinic, patient: Patient
) -> None:
    admin = signed_in(clinic, role=Role.ADMIN)
    response = admin.post(f"/dashboard/patients/{patient.id}/export", data={"format": "json"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="patient-{patient.id}-{clinic.slug}.json"'
    data = json.loads(response.get_data(as_text=True))
    assert data["patient"]["full_name"] == "Vesna Exportova" and data["patient"]["email"] == "vesna@example.com"
    [request] = data["requests"]
    assert request["medications"] == "CANARYMED lithium" and request["heart_condition"] == "no"
    assert len(request["preferred_times"]) == 2
    [visit] = data["appointments"]
    assert visit["service"] == "Initial consultation" and visit["driver_name"] == "Drew Driver"
    kinds = {m["kind"] for m in data["messages"]}
    assert "appointment_booked" in kinds  # instant booking: the confirmation, not an acknowledgment
    assert all("body_text" not in m and "subject" not in m for m in data["messages"])  # metadata only
    [event] = _events(AuditAction.PATIENT_EXPORTED)
    assert event.entity_id == patient.id and event.details == {"format": "json"}


def test_csv_export_is_one_field_a_line_and_formula_safe(signed_in: Any, clinic: Clinic, patient: Patient) -> None:
    patient.full_name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    admin = signed_in(clinic, role=Role.ADMIN)
    response = admin.post(f"/dashboard/patients/{patient.id}/export", data={"format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["record", "id", "field", "value"]
    assert ["patient", str(patient.id), "full_name", "'=HYPERLINK(\"http://x\")"] in rows
    assert any(r[0] == "request" and r[2] == "medications" and r[3] == "CANARYMED lithium" for r in rows)


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINICIAN])
def test_only_admins_export_or_erase(signed_in: Any, clinic: Clinic, patient: Patient, role: Role) -> None:
    client = signed_in(clinic, role=role)
    assert client.post(f"/dashboard/patients/{patient.id}/export", data={"format": "json"}).status_code == 403
    assert client.get(f"/dashboard/patients/{patient.id}/erase").status_code == 403
    assert client.post(f"/dashboard/patients/{patient.id}/erase",
                       data={"confirm": "ERASE", "reason": "x"}).status_code == 403
    assert "Export (JSON)" not in client.get(f"/dashboard/patients/{patient.id}").get_data(as_text=True)


def test_another_clinics_patient_is_not_found(
    signed_in: Any, clinic: Clinic, patient: Patient, make_clinic: Any
) -> None:
    other = signed_in(make_clinic(), role=Role.ADMIN)
    assert other.post(f"/dashboard/patients/{patient.id}/export", data={"format": "json"}).status_code == 404
    assert other.post(f"/dashboard/patients/{patient.id}/erase",
                      data={"confirm": "ERASE", "reason": "x"}).status_code == 404


def test_export_and_erase_are_posts_with_a_csrf_token(app: Any, clinic: Clinic, patient: Patient,
                                                      make_staff: Any) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    admin = make_staff(clinic, role=Role.ADMIN)
    client: FlaskClient = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/staff/login", data={"email": admin.email, "password": "a long test password", "csrf_token": token})
    assert client.get(f"/dashboard/patients/{patient.id}/export").status_code == 405
    assert client.post(f"/dashboard/patients/{patient.id}/export", data={"format": "json"}).status_code == 400
    assert client.post(f"/dashboard/patients/{patient.id}/erase",
                       data={"confirm": "ERASE", "reason": "asked"}).status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).erased_at is None  # type: ignore[union-attr]


def test_erasure_asks_for_confirmation_and_keeps_what_was_typed(signed_in: Any, clinic: Clinic,
                                                                 patient: Patient) -> None:
    admin = signed_in(clinic, role=Role.ADMIN)
    page = admin.get(f"/dashboard/patients/{patient.id}/erase").get_data(as_text=True)
    assert "Erase Vesna Exportova?" in page and "1 request" in page
    refused = admin.post(f"/dashboard/patients/{patient.id}/erase", data={"confirm": "yes", "reason": "Asked 3 Dec"})
    assert refused.status_code == 422
    assert 'value="Asked 3 Dec"' in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).erased_at is None  # type: ignore[union-attr]


def test_erasure_anonymises_everywhere_and_keeps_counts_and_audit(
    signed_in: Any, clinic: Clinic, patient: Patient, app: Any
) -> None:
    appointment = db.session.scalars(select(Appointment)).one()
    link = link_for(appointment)
    assert app.test_client().get(link).status_code == 200
    admin = signed_in(clinic, role=Role.ADMIN)
    admin.get(f"/dashboard/patients/{patient.id}")  # a view, audited before
    response = admin.post(f"/dashboard/patients/{patient.id}/erase",
                          data={"confirm": "erase", "reason": "Patient's request, 3 Dec"})
    assert response.status_code == 303
    db.session.expire_all()
    erased = db.session.get(Patient, patient.id)
    assert erased is not None and erased.erased_at is not None
    assert (erased.full_name, erased.email, erased.phone, erased.date_of_birth) == ("Erased patient", "", "", None)
    request = db.session.scalars(select(ConsultationRequest)).one()
    assert (request.full_name, request.email, request.medications, request.concern_details) == (
        "Erased patient", "", "", "")
    visit = db.session.scalars(select(Appointment)).one()
    assert visit.driver_name == "" and visit.patient_id == patient.id  # the visit stays, counted
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind.not_in(STAFF_KINDS))).all()
    assert messages and all(m.body_text == "" and m.recipient == "Erased patient" for m in messages)
    assert all(m.status is not OutboxStatus.PENDING for m in messages)  # nothing goes out after
    assert db.session.scalar(select(func.count()).select_from(ManageToken)) == 0
    assert app.test_client().get(link).status_code == 404
    # Nothing left for the worker to send to them.
    assert deliver_due().sent == 0
    [event] = _events(AuditAction.PATIENT_ERASED)
    assert event.details["reason"] == "Patient's request, 3 Dec" and event.details["appointments"] == 1
    assert _events(AuditAction.PATIENT_VIEWED)  # the trail before stays
    text = json.dumps([e.details for e in db.session.scalars(select(AuditEvent))])
    assert "Vesna" not in text and "vesna@example.com" not in text
    page = admin.get(f"/dashboard/patients/{patient.id}").get_data(as_text=True)
    assert "Vesna" not in page and "Erased on" in page


def _checkin_text_and_consent(clinic: Clinic, patient: Patient) -> CheckIn:
    """A check-in with a questionnaire, a text the patient sent and their consent to texts."""
    appointment = db.session.scalars(select(Appointment)).one()
    checkin = CheckIn(clinic_id=clinic.id, appointment_id=appointment.id, patient_id=patient.id,
                      driver_name="Drew Driver", driver_phone="+13125550199", medication_change="CANARYDOSE up")
    db.session.add(checkin)
    db.session.flush()
    db.session.add_all([
        QuestionnaireResponse(clinic_id=clinic.id, checkin_id=checkin.id, instrument=Instrument.GAD7,
                              version="gad7-2006.1", answers=[1] * 7, total=7, band="mild"),
        SmsInbound(clinic_id=clinic.id, provider_message_id="SM" + "e" * 32, phone=patient.phone,
                   body="CANARYTEXT can I eat?", kind=InboundKind.OTHER, patient_id=patient.id),
        SmsConsent(clinic_id=clinic.id, phone=patient.phone, text_version="1", source="request_form"),
    ])
    db.session.commit()
    return checkin


def test_export_carries_check_ins_with_answers_texts_received_and_consent(
    signed_in: Any, clinic: Clinic, patient: Patient
) -> None:
    _checkin_text_and_consent(clinic, patient)
    admin = signed_in(clinic, role=Role.ADMIN)
    data = json.loads(admin.post(f"/dashboard/patients/{patient.id}/export", data={"format": "json"})
                      .get_data(as_text=True))
    [checkin] = data["checkins"]
    assert checkin["medication_change"] == "CANARYDOSE up"
    assert checkin["questionnaires"] == [{"instrument": "gad7", "version": "gad7-2006.1", "answers": [1] * 7,
                                          "total": 7, "band": "mild"}]
    assert [t["body"] for t in data["texts_received"]] == ["CANARYTEXT can I eat?"]
    assert [c["phone"] for c in data["text_consents"]] == [patient.phone]
    rows = list(csv.reader(io.StringIO(admin.post(f"/dashboard/patients/{patient.id}/export",
                                                  data={"format": "csv"}).get_data(as_text=True))))
    assert any(r[0] == "checkin" and r[2] == "questionnaires" and "gad7" in r[3] and "total" not in r[3]
               and ": 7 (mild)" in r[3] for r in rows)
    assert any(r[0] == "text" and r[3] == "CANARYTEXT can I eat?" for r in rows)


def test_erasure_clears_check_in_free_text_texts_and_consent(signed_in: Any, clinic: Clinic, patient: Patient) -> None:
    checkin = _checkin_text_and_consent(clinic, patient)
    phone = patient.phone
    admin = signed_in(clinic, role=Role.ADMIN)
    assert admin.post(f"/dashboard/patients/{patient.id}/erase",
                      data={"confirm": "erase", "reason": "Asked"}).status_code == 303
    db.session.expire_all()
    kept = db.session.get(CheckIn, checkin.id)
    assert kept is not None and (kept.driver_name, kept.driver_phone, kept.medication_change) == ("", "", "")
    assert db.session.scalars(select(QuestionnaireResponse)).one().total == 7  # anonymous scores stay
    text = db.session.scalars(select(SmsInbound)).one()
    assert (text.phone, text.body) == ("", "")
    consent = db.session.scalars(select(SmsConsent)).one()
    assert consent.phone == "" and consent.withdrawn_at is not None
    assert db.session.scalar(select(func.count()).select_from(SmsConsent).filter_by(phone=phone)) == 0
