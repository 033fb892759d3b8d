"""The texts inbox, the SMS log, message settings and the day sheet's "call to confirm" list."""
from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import time_machine
from sqlalchemy import select

from booking.domain.availability import local_instant
from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.models import (
    Channel,
    Clinic,
    ClinicMessaging,
    InboundKind,
    MessageKind,
    OutboxMessage,
    Patient,
    ReminderChannels,
    Role,
    SmsInbound,
    utcnow,
)
from booking.operations.booking import Booker, BookingSpec, book
from booking.operations.sms_inbound import receive_text
from tests.factories import chairs, give_sms_consent, service

PHONE = "+13125550155"


def patient_and_visit(clinic: Clinic, day: date, hour: int = 10, driver: bool = True) -> Any:
    person = Patient(clinic_id=clinic.id, full_name="Sam Texter", email="sam@example.com", phone=PHONE,
                     date_of_birth=date(1980, 1, 1))
    db.session.add(person)
    db.session.commit()
    start = local_instant(day, time(hour), clinic.zone)
    assert start is not None
    appointment = book(clinic, BookingSpec(service=service(clinic, "infusion"), patient=person, start=start,
                                           booker=Booker.STAFF, chair_id=chairs(clinic)[0].id,
                                           override_consult_first=True), actor_id=None, now=utcnow())
    if driver:
        appointment.driver_name, appointment.driver_phone = "Dana Driver", "+13125550144"
    db.session.commit()
    return appointment


def test_inbox_shows_a_reply_and_staff_answer_through_the_outbox(signed_in: Any, make_clinic: Any) -> None:
    clinic = make_clinic()
    other = make_clinic()
    patient_and_visit(clinic, date.today() + timedelta(days=5))
    give_sms_consent(clinic, PHONE)
    receive_text(clinic, provider_message_id="SM" + "5" * 32, phone=PHONE, body="Can I drink coffee?", now=utcnow())
    receive_text(other, provider_message_id="SM" + "6" * 32, phone=PHONE, body="Other clinic's text", now=utcnow())
    db.session.commit()
    client = signed_in(clinic)
    page = client.get("/dashboard/texts").get_data(as_text=True)
    assert "Can I drink coffee?" in page and "Sam Texter" in page and "Texts (1 new)" in page
    assert "Other clinic" not in page
    [mine] = db.session.scalars(select(SmsInbound).filter_by(clinic_id=clinic.id))
    [theirs] = db.session.scalars(select(SmsInbound).filter_by(clinic_id=other.id))
    assert client.post(f"/dashboard/texts/{theirs.id}/answer", data={"body": "hi"}).status_code == 404
    answer = client.post(f"/dashboard/texts/{mine.id}/answer", data={"body": ""})
    assert answer.status_code == 422 and "Write an answer." in answer.get_data(as_text=True)
    assert client.post(f"/dashboard/texts/{mine.id}/answer", data={"body": "Black coffee is fine until 8."}).status_code == 303
    [reply] = db.session.scalars(select(OutboxMessage).filter_by(channel=Channel.SMS, kind=MessageKind.SMS_REPLY))
    assert reply.recipient == PHONE and reply.body_text == "Black coffee is fine until 8."
    db.session.expire_all()
    assert mine.read_at is not None
    # Without a provider, the answer stays in the local log, marked as not sent.
    assert deliver_due(channel=Channel.SMS).sent == 1
    page = client.get("/dashboard/texts").get_data(as_text=True)
    assert "Not sent — no SMS provider configured." in page and "Black coffee is fine until 8." in page
    assert "not sent — no SMS provider configured" in client.get("/dashboard/messages").get_data(as_text=True)


def test_message_settings_choose_texts_per_reminder(signed_in: Any, make_clinic: Any) -> None:
    clinic = make_clinic()
    client = signed_in(clinic, role=Role.ADMIN)
    assert "Messages and texts" in client.get("/dashboard/settings/messages").get_data(as_text=True)
    data = {"reminder_prep": "email", "reminder_evening": "both", "reminder_final": "sms", "quiet_start": "22:00",
            "quiet_end": "07:30", "quiet_exempt_hours": "2", "readiness_call_at": "18:30"}
    assert client.post("/dashboard/settings/messages", data=data | {"quiet_exempt_hours": "99"}).status_code == 422
    assert client.post("/dashboard/settings/messages", data=data).status_code == 303
    row = db.session.get(ClinicMessaging, clinic.id)
    assert row is not None and row.reminder_evening is ReminderChannels.BOTH and row.quiet_end == time(7, 30)
    give_sms_consent(clinic, PHONE)
    patient_and_visit(clinic, date.today() + timedelta(days=10))
    kinds = {(m.kind, m.channel) for m in db.session.scalars(select(OutboxMessage)) if m.kind.is_reminder}
    assert kinds == {(MessageKind.REMINDER_PREP, Channel.EMAIL), (MessageKind.REMINDER_EVENING, Channel.EMAIL),
                     (MessageKind.REMINDER_EVENING, Channel.SMS), (MessageKind.REMINDER_FINAL, Channel.SMS)}
    assert signed_in(clinic).get("/dashboard/settings/messages").status_code == 403  # front desk


def test_call_to_confirm_lists_unanswered_visits_after_the_clinics_time(signed_in: Any, make_clinic: Any) -> None:
    clinic = make_clinic()
    day = date(2031, 3, 4)
    eve = local_instant(day - timedelta(days=1), time(18, 59), clinic.zone)
    assert eve is not None
    with time_machine.travel(eve - timedelta(days=5), tick=False):
        appointment = patient_and_visit(clinic, day, driver=True)
    with time_machine.travel(eve, tick=False):
        client = signed_in(clinic)  # staff sessions time out: sign in at the moment travelled to
        assert "Call to confirm" not in client.get(f"/dashboard/day?date={day.isoformat()}").get_data(as_text=True)
    with time_machine.travel(eve + timedelta(minutes=2), tick=False):
        page = client.get(f"/dashboard/day?date={day.isoformat()}").get_data(as_text=True)
        assert "Call to confirm (1)" in page and PHONE in page and "+13125550144" in page
        give_sms_consent(clinic, PHONE)
        received = receive_text(clinic, provider_message_id="SM" + "7" * 32, phone=PHONE, body="C", now=utcnow())
        db.session.commit()
        assert received is not None and received.kind is InboundKind.CONFIRM
        db.session.expire_all()
        assert appointment.ready_confirmed_at is not None
        assert "Call to confirm" not in client.get(f"/dashboard/day?date={day.isoformat()}").get_data(as_text=True)


def test_delivery_status_shows_on_the_appointment(signed_in: Any, make_clinic: Any) -> None:
    from booking.models import OutboxStatus
    from booking.operations.sms_inbound import record_delivery_status

    clinic = make_clinic()
    appointment = patient_and_visit(clinic, date.today() + timedelta(days=5))
    give_sms_consent(clinic, PHONE)
    receive_text(clinic, provider_message_id="SM" + "8" * 32, phone=PHONE, body="R", now=utcnow())
    [reply] = db.session.scalars(select(OutboxMessage).filter_by(channel=Channel.SMS))
    reply.status, reply.provider, reply.provider_message_id = OutboxStatus.SENT, "twilio", "SM" + "9" * 32
    reply.sent_at = utcnow()
    assert record_delivery_status(clinic, "SM" + "9" * 32, "undelivered", "30005")
    db.session.commit()
    page = signed_in(clinic).get(f"/dashboard/appointments/{appointment.id}").get_data(as_text=True)
    assert "Twilio: undelivered (error 30005)" in page and "text" in page
