"""Texts through the same outbox and worker as email, to a fake Twilio over HTTP with the real client."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from booking.domain.availability import local_instant
from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.mail.sms_outbox import enqueue_text
from booking.models import (
    Channel,
    Clinic,
    ClinicMessaging,
    Language,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Patient,
    ReminderChannels,
    SmsOptOut,
    utcnow,
)
from booking.operations.booking import Booker, BookingSpec, book
from booking.operations.sms_inbound import receive_text
from tests.factories import chairs, give_sms_consent, service
from tests.support.fake_twilio import FROM_NUMBER, FakeTwilio
from tests.support.smtp import SmtpServer
from tests.support.workers import drain_with_workers

UTC = timezone.utc
PHONE = "+13125550188"
VISIT = date(2030, 4, 9)


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def config_overrides(smtp_port: int, twilio: FakeTwilio) -> dict[str, Any]:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 1.0,
            "PUBLIC_BASE_URL": "https://book.example.org", **twilio.config()}


def at(clinic: Clinic, day: date, hour: int, minute: int = 0) -> datetime:
    moment = local_instant(day, time(hour, minute), clinic.zone)
    assert moment is not None
    return moment.astimezone(UTC)


def texting_clinic(make_clinic: Any, **channels: ReminderChannels) -> Clinic:
    clinic: Clinic = make_clinic(name="Lakeside Clinic")
    db.session.add(ClinicMessaging(clinic_id=clinic.id, **channels))
    db.session.commit()
    return clinic


def book_infusion(clinic: Clinic, start: datetime, now: datetime, language: Language = Language.EN) -> Any:
    person = Patient(clinic_id=clinic.id, full_name="Avery Texttest", email="avery@example.com", phone=PHONE,
                     date_of_birth=date(1980, 1, 1), language=language)
    db.session.add(person)
    db.session.commit()
    spec = BookingSpec(service=service(clinic, "infusion"), patient=person, start=start, booker=Booker.STAFF,
                       chair_id=chairs(clinic)[0].id, override_consult_first=True)
    appointment = book(clinic, spec, actor_id=None, now=now)
    db.session.commit()
    return appointment


def texts(**where: Any) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).filter_by(channel=Channel.SMS, **where)
                                   .order_by(OutboxMessage.due_at)))


def evening_of(clinic: Clinic) -> datetime:
    """18:00 local two days before a 09:00 visit with a 6-hour fast: the evening before the cutoff (03:00)."""
    return at(clinic, VISIT - timedelta(days=1), 18)


def test_evening_text_goes_through_twilio_with_minimum_necessary(
    make_clinic: Any, smtp: SmtpServer, twilio: FakeTwilio, ctx: None
) -> None:
    clinic = texting_clinic(make_clinic, reminder_evening=ReminderChannels.BOTH)
    give_sms_consent(clinic, PHONE)
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=UTC), tick=False):
        book_infusion(clinic, at(clinic, VISIT, 9), utcnow())
        deliver_due()
    [text] = texts()
    assert text.kind is MessageKind.REMINDER_EVENING and text.due_at == at(clinic, VISIT - timedelta(days=1), 18)
    with time_machine.travel(text.due_at + timedelta(minutes=1), tick=False):
        report = deliver_due()
    assert report.sent == 2  # the email and the text of the evening reminder
    [sent] = twilio.messages
    assert sent["To"] == PHONE and sent["From"] == FROM_NUMBER
    assert sent["StatusCallback"] == "https://book.example.org/webhooks/twilio/clinic-1/status"
    body = sent["Body"]
    assert body.startswith("Lakeside Clinic: visit tomorrow at 9:00 AM.")
    assert "No food after 3:00 AM." in body and "Driver pickup at about 10:45 AM." in body
    assert "Reply C if you will fast as planned and have your driver, R for another time." in body
    assert "https://book.example.org/manage/" in body and "__MANAGE_URL__" not in body
    assert "Infusion" not in body and "infusion" not in body
    [row] = texts()
    assert row.status is OutboxStatus.SENT and row.provider == "twilio"
    assert row.provider_message_id == sent["Sid"] and row.delivery_status == "queued"


def test_no_consent_no_text(make_clinic: Any, smtp: SmtpServer, twilio: FakeTwilio, ctx: None) -> None:
    clinic = texting_clinic(make_clinic, reminder_evening=ReminderChannels.SMS, reminder_final=ReminderChannels.SMS)
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=UTC), tick=False):
        book_infusion(clinic, at(clinic, VISIT, 9), utcnow())
    assert texts() == []


def test_stop_then_a_due_reminder_sends_nothing(make_clinic: Any, smtp: SmtpServer, twilio: FakeTwilio, ctx: None) -> None:
    clinic = texting_clinic(make_clinic, reminder_evening=ReminderChannels.SMS, reminder_final=ReminderChannels.SMS)
    give_sms_consent(clinic, PHONE)
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=UTC), tick=False):
        book_infusion(clinic, at(clinic, VISIT, 9), utcnow())
        assert len(texts(status=OutboxStatus.PENDING)) == 2
        receive_text(clinic, provider_message_id="SM" + "a" * 32, phone=PHONE, body="STOP", now=utcnow())
        db.session.commit()
    assert {t.status for t in texts()} == {OutboxStatus.VOID}
    with time_machine.travel(at(clinic, VISIT, 7, 30), tick=False):
        deliver_due()
    assert twilio.messages == []
    # A text queued after STOP is not even written, and one queued just before is voided at sending.
    with time_machine.travel(at(clinic, VISIT, 7, 30), tick=False):
        assert enqueue_text(clinic, kind=MessageKind.SMS_REPLY, dedupe_key="after-stop", phone=PHONE, body="hi",
                            now=utcnow(), reply=True) is None


def test_opt_out_after_queueing_voids_at_sending(make_clinic: Any, smtp: SmtpServer, twilio: FakeTwilio, ctx: None) -> None:
    clinic = texting_clinic(make_clinic, reminder_final=ReminderChannels.SMS)
    give_sms_consent(clinic, PHONE)
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=UTC), tick=False):
        book_infusion(clinic, at(clinic, VISIT, 9), utcnow())
    # Recorded behind the outbox's back (say, by another process): the worker checks again.
    db.session.add(SmsOptOut(clinic_id=clinic.id, phone=PHONE, opted_out_at=utcnow()))
    db.session.commit()
    with time_machine.travel(at(clinic, VISIT, 7, 1), tick=False):
        assert deliver_due().voided == 1
    assert twilio.messages == [] and texts()[0].last_error == "no consent or opted out"


@pytest.mark.parametrize("outage", ["500", "connection refused"])
def test_an_outage_delays_the_text_and_loses_nothing(
    make_clinic: Any, smtp: SmtpServer, twilio: FakeTwilio, ctx: None, outage: str
) -> None:
    clinic = texting_clinic(make_clinic, reminder_final=ReminderChannels.SMS)
    give_sms_consent(clinic, PHONE)
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=UTC), tick=False):
        book_infusion(clinic, at(clinic, VISIT, 9), utcnow())
        deliver_due()  # the email confirmation
    if outage == "500":
        twilio.fail_with = 500
    else:
        twilio.stop()
    due = at(clinic, VISIT, 7)
    with time_machine.travel(due, tick=False):
        assert deliver_due().retried == 1
    [row] = texts()
    assert row.status is OutboxStatus.PENDING and row.attempts == 1 and row.next_attempt_at == due + timedelta(minutes=1)
    assert row.last_error == ("Twilio HTTP 500" if outage == "500" else "ConnectionError")
    if outage == "500":
        twilio.fail_with = None
    else:
        twilio.start()
    with time_machine.travel(due + timedelta(minutes=2), tick=False):
        assert deliver_due().sent == 1
    assert len(twilio.messages) == 1 and texts()[0].status is OutboxStatus.SENT


def test_a_refused_number_fails_at_once_and_unsubscribed_is_recorded(
    make_clinic: Any, smtp: SmtpServer, twilio: FakeTwilio, ctx: None
) -> None:
    clinic = texting_clinic(make_clinic)
    give_sms_consent(clinic, PHONE)
    twilio.refuse_with = 21610
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=UTC), tick=False):
        enqueue_text(clinic, kind=MessageKind.SMS_REPLY, dedupe_key="refused", phone=PHONE, body="hello",
                     now=utcnow(), reply=True)
        db.session.commit()
        assert deliver_due().failed == 1
    [row] = texts()
    assert row.status is OutboxStatus.FAILED and row.last_error == "refused: error 21610"
    assert db.session.scalar(select(SmsOptOut).filter_by(clinic_id=clinic.id, phone=PHONE)) is not None


def test_without_a_provider_texts_stay_in_the_local_log(
    make_clinic: Any, smtp: SmtpServer, twilio: FakeTwilio, app: Any, ctx: None
) -> None:
    app.config["SMS_PROVIDER"] = None
    app.config["TWILIO_ACCOUNT_SID"] = None
    clinic = texting_clinic(make_clinic)
    give_sms_consent(clinic, PHONE)
    enqueue_text(clinic, kind=MessageKind.SMS_REPLY, dedupe_key="logged", phone=PHONE, body="hello", now=utcnow(),
                 reply=True)
    db.session.commit()
    assert deliver_due().sent == 1
    [row] = texts()
    assert row.provider == "log" and row.delivery_status == "not_sent" and twilio.requests == 0


def test_quiet_hours_hold_a_text_until_morning(make_clinic: Any, smtp: SmtpServer, twilio: FakeTwilio, ctx: None) -> None:
    clinic = texting_clinic(make_clinic)
    give_sms_consent(clinic, PHONE)
    late = at(clinic, date(2030, 4, 1), 22, 30)
    with time_machine.travel(late, tick=False):
        row = enqueue_text(clinic, kind=MessageKind.REMINDER_PREP, dedupe_key="late", phone=PHONE, body="hello",
                           now=utcnow())
        db.session.commit()
        assert row is not None and row.due_at == at(clinic, date(2030, 4, 2), 8)
        assert deliver_due().handled == 0
    assert twilio.messages == []


def test_four_workers_send_each_text_once(app: Any, make_clinic: Any, smtp: SmtpServer, twilio: FakeTwilio, ctx: None) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several workers need PostgreSQL's SKIP LOCKED; on SQLite run one worker")
    clinic = texting_clinic(make_clinic)
    give_sms_consent(clinic, PHONE)
    for n in range(200):
        enqueue_text(clinic, kind=MessageKind.SMS_REPLY, dedupe_key=f"bulk-{n}", phone=PHONE, body=f"text {n}",
                     now=utcnow(), reply=True)
    db.session.commit()
    drain_with_workers(app, batch=25)
    bodies = Counter(m["Body"] for m in twilio.messages)
    assert len(bodies) == 200 and max(bodies.values()) == 1
    assert Counter(r.status for r in texts()) == Counter({OutboxStatus.SENT: 200})
