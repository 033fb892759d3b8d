"""Twilio's webhooks, signed with Twilio's algorithm (HMAC-SHA1 of the URL and the sorted fields)."""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import (
    AppointmentStatus,
    Channel,
    Clinic,
    InboundKind,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Patient,
    SmsInbound,
    SmsOptOut,
    utcnow,
)
from tests.factories import chairs, give_sms_consent, service
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER

BASE = "https://book.example.org"
PHONE = "+13125550177"
UTC = timezone.utc


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"PUBLIC_BASE_URL": BASE, "SMS_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM_NUMBER": FROM_NUMBER}


def signature(url: str, fields: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """Twilio's documented algorithm, written out: URL, then each name and value in name order."""
    text = url + "".join(name + fields[name] for name in sorted(fields))
    return base64.b64encode(hmac.new(token.encode(), text.encode(), hashlib.sha1).digest()).decode()


def post(client: FlaskClient, path: str, fields: dict[str, str], *, sign: str | None = "good") -> Any:
    headers = {}
    if sign == "good":
        headers["X-Twilio-Signature"] = signature(BASE + path, fields)
    elif sign == "wrong":
        headers["X-Twilio-Signature"] = signature(BASE + path, fields, token="not-the-token")
    return client.post(path, data=urlencode(fields), headers=headers, content_type="application/x-www-form-urlencoded")


def inbound(clinic: Clinic, body: str, sid: str = "SM" + "1" * 32, phone: str = PHONE) -> dict[str, str]:
    return {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": phone, "To": FROM_NUMBER, "Body": body,
            "NumMedia": "0"}


def path(clinic: Clinic, hook: str = "inbound") -> str:
    return f"/webhooks/twilio/{clinic.slug}/{hook}"


def patient_with_visit(make_clinic: Any, days: int = 2) -> tuple[Clinic, Any]:
    clinic: Clinic = make_clinic(name="Lakeside Clinic")
    person = Patient(clinic_id=clinic.id, full_name="Robin Replies", email="robin@example.com", phone=PHONE,
                     date_of_birth=date(1980, 1, 1))
    db.session.add(person)
    db.session.commit()
    from booking.operations.booking import Booker, BookingSpec, book

    start = (utcnow() + timedelta(days=days)).replace(hour=15, minute=0, second=0, microsecond=0)
    appointment = book(clinic, BookingSpec(service=service(clinic, "infusion"), patient=person, start=start,
                                           booker=Booker.STAFF, chair_id=chairs(clinic)[0].id,
                                           override_consult_first=True), actor_id=None, now=utcnow())
    db.session.commit()
    give_sms_consent(clinic, PHONE)
    return clinic, appointment


def replies() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).filter_by(channel=Channel.SMS, kind=MessageKind.SMS_REPLY)))


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_unsigned_and_wrongly_signed_get_403_and_change_nothing(client: FlaskClient, make_clinic: Any) -> None:
    clinic, _ = patient_with_visit(make_clinic)
    for sign in (None, "wrong"):
        answer = post(client, path(clinic), inbound(clinic, "STOP"), sign=sign)
        assert answer.status_code == 403
    # Signed for another URL (a replay to another clinic's hook) is wrong too.
    fields = inbound(clinic, "STOP")
    answer = client.post(path(clinic), data=urlencode(fields), content_type="application/x-www-form-urlencoded",
                         headers={"X-Twilio-Signature": signature(BASE + "/webhooks/twilio/other/inbound", fields)})
    assert answer.status_code == 403
    assert count(SmsInbound) == 0 and count(SmsOptOut) == 0


def test_signature_matches_the_librarys_own(client: FlaskClient, make_clinic: Any) -> None:
    from twilio.request_validator import RequestValidator

    fields = {"b": "2", "a": "1", "Body": "héllo"}
    assert signature(BASE + "/x", fields) == RequestValidator(AUTH_TOKEN).compute_signature(BASE + "/x", fields)


def test_stop_opts_out_start_opts_back_in(client: FlaskClient, make_clinic: Any) -> None:
    clinic, _ = patient_with_visit(make_clinic)
    answer = post(client, path(clinic), inbound(clinic, "Stop"))
    assert answer.status_code == 200 and b"<Response>" in answer.data
    assert db.session.scalar(select(SmsOptOut).filter_by(clinic_id=clinic.id, phone=PHONE)) is not None
    assert replies() == []  # the carrier confirms STOP; we send nothing more
    post(client, path(clinic), inbound(clinic, "START", sid="SM" + "2" * 32))
    db.session.expire_all()
    assert db.session.scalar(select(SmsOptOut).filter_by(clinic_id=clinic.id, phone=PHONE)) is None
    [reply] = replies()
    assert reply.body_text == "Lakeside Clinic: you will get our texts again. Reply STOP to opt out, HELP for help."


@pytest.mark.parametrize("word", ["UNSUBSCRIBE", "CANCEL", "END", "QUIT", "STOPALL"])
def test_carrier_keywords_opt_out(client: FlaskClient, make_clinic: Any, word: str) -> None:
    clinic, _ = patient_with_visit(make_clinic)
    post(client, path(clinic), inbound(clinic, word.lower()))
    assert db.session.scalar(select(SmsOptOut).filter_by(clinic_id=clinic.id, phone=PHONE)) is not None


def test_help_answers_with_name_and_phone(client: FlaskClient, make_clinic: Any) -> None:
    clinic, _ = patient_with_visit(make_clinic)
    post(client, path(clinic), inbound(clinic, "HELP"))
    [reply] = replies()
    assert reply.body_text == f"Lakeside Clinic: for help call {clinic.phone}. Reply STOP to opt out."
    assert reply.recipient == PHONE and reply.status is OutboxStatus.PENDING


def test_c_confirms_the_next_visit_and_readiness_once(client: FlaskClient, make_clinic: Any) -> None:
    clinic, appointment = patient_with_visit(make_clinic)
    fields = inbound(clinic, "C")
    assert post(client, path(clinic), fields).status_code == 200
    assert post(client, path(clinic), fields).status_code == 200  # Twilio repeats a webhook
    db.session.expire_all()
    assert appointment.status is AppointmentStatus.CONFIRMED and appointment.ready_confirmed_at is not None
    assert count(SmsInbound) == 1
    [reply] = replies()
    assert reply.body_text.startswith("Lakeside Clinic: thank you, see you on ")


def test_r_answers_with_the_link_to_ask_for_another_time(client: FlaskClient, make_clinic: Any) -> None:
    clinic, appointment = patient_with_visit(make_clinic)
    post(client, path(clinic), inbound(clinic, "r"))
    [reply] = replies()
    assert "__MANAGE_URL__/reschedule?lang=en" in reply.body_text and reply.appointment_id == appointment.id


def test_anything_else_lands_in_the_inbox_matched_to_the_patient(client: FlaskClient, make_clinic: Any) -> None:
    clinic, appointment = patient_with_visit(make_clinic)
    post(client, path(clinic), inbound(clinic, "Can I bring my sister?"))
    [row] = db.session.scalars(select(SmsInbound))
    assert row.kind is InboundKind.OTHER and row.patient_id == appointment.patient_id and row.read_at is None
    assert replies() == []


def test_unknown_number_is_recorded_and_answered_nothing(client: FlaskClient, make_clinic: Any) -> None:
    clinic, _ = patient_with_visit(make_clinic)
    post(client, path(clinic), inbound(clinic, "HELP", phone="+13125550999"))
    [row] = db.session.scalars(select(SmsInbound))
    assert row.patient_id is None and row.phone == "+13125550999"
    assert replies() == []


@pytest.mark.parametrize("fields", [
    {"From": PHONE, "Body": "hi"},  # no MessageSid
    {"MessageSid": "not-a-sid", "From": PHONE, "Body": "hi"},
    {"MessageSid": "SM" + "3" * 32, "From": "hello", "Body": "hi"},
    {"MessageSid": "SM" + "3" * 32, "From": PHONE, "Body": "x" * 1601},
])
def test_malformed_gets_400_and_changes_nothing(client: FlaskClient, make_clinic: Any, fields: dict[str, str]) -> None:
    clinic, _ = patient_with_visit(make_clinic)
    assert post(client, path(clinic), fields).status_code == 400
    assert count(SmsInbound) == 0


def test_oversized_gets_400_before_anything(client: FlaskClient, make_clinic: Any) -> None:
    clinic, _ = patient_with_visit(make_clinic)
    fields = inbound(clinic, "hi") | {"Padding": "x" * 9000}
    assert post(client, path(clinic), fields).status_code == 400
    assert count(SmsInbound) == 0


def test_status_callbacks_update_the_message(client: FlaskClient, make_clinic: Any) -> None:
    clinic, _ = patient_with_visit(make_clinic)
    post(client, path(clinic), inbound(clinic, "HELP"))
    [reply] = replies()
    reply.status, reply.provider_message_id, reply.delivery_status = OutboxStatus.SENT, "SM" + "4" * 32, "queued"
    db.session.commit()
    status = {"MessageSid": "SM" + "4" * 32, "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID}
    assert post(client, path(clinic, "status"), status).status_code == 204
    # A late "sent" after "delivered" does not go back.
    assert post(client, path(clinic, "status"), status | {"MessageStatus": "sent"}).status_code == 204
    [reply] = replies()
    assert reply.delivery_status == "delivered" and reply.status is OutboxStatus.SENT
    failed = status | {"MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert post(client, path(clinic, "status"), failed, sign="wrong").status_code == 403
    assert post(client, path(clinic, "status"), failed).status_code == 204
    [reply] = replies()
    assert reply.delivery_status == "undelivered" and reply.delivery_error == "30003"
    assert reply.status is OutboxStatus.FAILED and reply.last_error == "undelivered: error 30003"
    assert post(client, path(clinic, "status"), status | {"MessageStatus": "bogus"}).status_code == 400


def test_no_csrf_token_needed_on_the_webhook_only(app: Any, make_clinic: Any) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    clinic, _ = patient_with_visit(make_clinic)
    client = app.test_client()
    assert post(client, path(clinic), inbound(clinic, "HELP")).status_code == 200


def test_no_auth_token_configured_refuses_everything(client: FlaskClient, make_clinic: Any, app: Any) -> None:
    app.config["TWILIO_AUTH_TOKEN"] = None
    clinic, _ = patient_with_visit(make_clinic)
    assert post(client, path(clinic), inbound(clinic, "STOP")).status_code == 403


def test_unknown_clinic_is_404(client: FlaskClient, make_clinic: Any) -> None:
    assert client.post("/webhooks/twilio/nowhere/inbound", data={}).status_code == 404



def test_rate_limited(client: FlaskClient, make_clinic: Any, app: Any) -> None:
    app.config["SMS_WEBHOOK_RATE_LIMIT"] = "2 per minute"
    clinic, _ = patient_with_visit(make_clinic)
    codes = [post(client, path(clinic), inbound(clinic, "hi", sid=f"SM{n:032x}")).status_code for n in range(3)]
    assert codes == [200, 200, 429]
