"""Confirmations, calendar updates and reminders, end to end through a real SMTP server."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy import select

from booking.domain.availability import local_instant
from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.models import (
    AppointmentStatus,
    Clinic,
    Language,
    ManageToken,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    Patient,
    utcnow,
)
from booking.operations.appointment_status import set_status
from booking.operations.booking import Booker, BookingSpec, book, reschedule
from tests.factories import chairs, service
from tests.support.smtp import SmtpServer
from tests.support.workers import drain_with_workers

UTC = timezone.utc


def at(clinic: Clinic, day: date, hour: int, minute: int = 0) -> datetime:
    moment = local_instant(day, time(hour, minute), ZoneInfo(clinic.timezone))
    assert moment is not None
    return moment.astimezone(UTC)


def patient(clinic: Clinic, language: Language = Language.EN) -> Patient:
    person = Patient(clinic_id=clinic.id, full_name="Avery Mailtest", email="avery@example.com",
                     phone="+13125550188", date_of_birth=date(1980, 1, 1), language=language)
    db.session.add(person)
    db.session.commit()
    return person


def book_infusion(clinic: Clinic, start: datetime, now: datetime, language: Language = Language.EN) -> Any:
    spec = BookingSpec(service=service(clinic, "infusion"), patient=patient(clinic, language), start=start,
                       booker=Booker.STAFF, chair_id=chairs(clinic)[0].id, override_consult_first=True)
    appointment = book(clinic, spec, actor_id=None, now=now)
    db.session.commit()
    return appointment


def rows(**where: Any) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.due_at)))


def ics_of(message: Any) -> Calendar:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))


def test_confirmation_has_parts_calendar_and_a_secret_link(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic(name="Lakeside Infusions")
    start = at(clinic, date(2030, 4, 9), 9)
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=UTC), tick=False):
        appointment = book_infusion(clinic, start, utcnow())
        assert deliver_due().sent == 1  # reminders are not due yet
    [message] = smtp.messages
    assert message["Subject"] == "Your appointment at Lakeside Infusions on Tuesday, April 9, 2030"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "9:00 AM to 10:00 AM" in text and "9:00 AM" in html
    assert "No food after 3:00 AM on Tuesday, April 9, 2030; clear liquids until 7:00 AM" in text
    link = re.search(r"http://127\.0\.0\.1:5000/manage/([A-Za-z0-9_-]{43})", text)
    assert link is not None and link.group(0) in html
    token = link.group(1)
    # Only a hash is stored; the token is in no stored row.
    stored = rows()
    assert all(token not in r.body_text and token not in r.body_html for r in stored)
    assert db.session.scalar(select(ManageToken.token_hash)) != token
    calendar = ics_of(message)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"appointment-{appointment.id}@booking.localhost"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(minutes=105)  # infusion plus recovery


def test_reschedule_and_cancel_update_the_calendar_and_void_old_reminders(
    make_clinic: Any, smtp: SmtpServer, ctx: None
) -> None:
    clinic = make_clinic()
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=UTC), tick=False):
        appointment = book_infusion(clinic, at(clinic, date(2030, 4, 9), 9), utcnow())
        first_reminders = rows(kind=MessageKind.REMINDER_FINAL)
        reschedule(clinic, appointment, at(clinic, date(2030, 4, 10), 13), None, booker=Booker.STAFF, actor_id=None,
                   now=utcnow())
        db.session.commit()
        db.session.expire_all()
        assert [r.status for r in first_reminders] == [OutboxStatus.VOID]
        assert {r.status for r in rows(kind=MessageKind.REMINDER_PREP)} == {OutboxStatus.VOID, OutboxStatus.PENDING}
        set_status(clinic, appointment, AppointmentStatus.CANCELLED, actor_id=None, now=utcnow(), reason="unwell")
        db.session.commit()
        # Every reminder and the booking notices are void: only the cancellation waits.
        assert [r.kind for r in rows(status=OutboxStatus.PENDING)] == [MessageKind.APPOINTMENT_CANCELLED]
        deliver_due()
    kinds = [m["Subject"].split(":")[0] for m in smtp.messages]
    assert len(smtp.messages) == 1  # booked and moved were never sent: only the final state goes out
    [cancelled] = smtp.messages
    assert "is cancelled" in cancelled["Subject"], kinds
    calendar = ics_of(cancelled)
    assert calendar["METHOD"] == "CANCEL"
    assert int(calendar.walk("VEVENT")[0]["SEQUENCE"]) == 3


@pytest.mark.parametrize(
    ("zone", "day", "expected_utc", "final_local"),
    [
        # Monday after the US spring-forward (Sunday 2026-03-08).
        ("America/Chicago", date(2026, 3, 9), {
            MessageKind.REMINDER_PREP: datetime(2026, 3, 6, 15, 0, tzinfo=UTC),  # Fri 09:00 CST
            MessageKind.REMINDER_EVENING: datetime(2026, 3, 8, 23, 0, tzinfo=UTC),  # Sun 18:00 CDT (cutoff Mon 03:00)
            MessageKind.REMINDER_FINAL: datetime(2026, 3, 9, 12, 0, tzinfo=UTC),  # Mon 07:00 CDT
        }, "9:00 AM"),
        # Monday after the UK fall-back (Sunday 2026-10-25).
        ("Europe/London", date(2026, 10, 26), {
            MessageKind.REMINDER_PREP: datetime(2026, 10, 23, 8, 0, tzinfo=UTC),  # Fri 09:00 BST
            MessageKind.REMINDER_EVENING: datetime(2026, 10, 25, 18, 0, tzinfo=UTC),  # Sun 18:00 GMT
            MessageKind.REMINDER_FINAL: datetime(2026, 10, 26, 7, 0, tzinfo=UTC),  # Mon 07:00 GMT
        }, "09:00"),
    ],
)
def test_reminders_across_dst_go_out_once_at_the_right_instant(
    make_clinic: Any, smtp: SmtpServer, ctx: None, zone: str, day: date,
    expected_utc: dict[str, datetime], final_local: str,
) -> None:
    clinic = make_clinic(timezone=zone, locale="en_GB" if zone == "Europe/London" else "en_US")
    start = at(clinic, day, 9)
    with time_machine.travel(datetime.combine(day - timedelta(days=10), time(12), tzinfo=UTC), tick=False) as clock:
        book_infusion(clinic, start, utcnow())
        assert deliver_due().sent == 1  # the confirmation
        planned = {r.kind: r.due_at for r in rows() if r.kind.is_reminder}
        assert planned == expected_utc
        for kind, due in sorted(expected_utc.items(), key=lambda kv: kv[1]):
            clock.move_to(due - timedelta(minutes=1))
            assert deliver_due().sent == 0, f"{kind} went out early"
            clock.move_to(due)
            assert deliver_due().sent == 1, kind
            assert deliver_due().sent == 0  # once
    subjects = [m["Subject"] for m in smtp.messages]
    assert len(subjects) == 4 and len({m["Message-ID"] for m in smtp.messages}) == 4
    final = smtp.messages[-1]
    assert final["Subject"].startswith(f"Today at {final_local}")
    assert final_local in final.get_body(("plain",)).get_content()


def test_a_reminder_long_past_is_skipped_not_sent_late(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic()
    start = at(clinic, date(2030, 4, 9), 16)
    with time_machine.travel(start - timedelta(hours=1), tick=False):
        book_infusion(clinic, start, utcnow())
        statuses = {r.kind: r.status for r in rows()}
        assert statuses[MessageKind.REMINDER_FINAL] is OutboxStatus.SKIPPED  # 2 hours before was an hour ago
        assert statuses[MessageKind.REMINDER_PREP] is OutboxStatus.SKIPPED
        deliver_due()
    assert [m["Subject"].startswith("Your appointment") for m in smtp.messages] == [True]


def test_a_worker_that_was_down_skips_stale_reminders(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic()
    start = at(clinic, date(2030, 4, 9), 9)
    with time_machine.travel(datetime(2030, 4, 1, 12, tzinfo=UTC), tick=False) as clock:
        book_infusion(clinic, start, utcnow())
        deliver_due()
        clock.move_to(start - timedelta(minutes=30))  # the worker comes back just before the visit
        report = deliver_due()
    assert report.sent == 0 and report.skipped == 3
    assert len(smtp.messages) == 1


def test_a_message_for_an_older_version_is_never_sent(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic()
    with time_machine.travel(datetime(2030, 4, 1, 12, tzinfo=UTC), tick=False):
        appointment = book_infusion(clinic, at(clinic, date(2030, 4, 9), 9), utcnow())
        appointment.version += 1  # changed behind the outbox's back
        db.session.commit()
        report = deliver_due()
    assert report.sent == 0 and report.voided == 1 and smtp.messages == []


def test_no_condition_or_medication_in_any_message(
    make_clinic: Any, make_request: Any, smtp: SmtpServer, ctx: None
) -> None:
    from booking.operations.scheduling import schedule_request

    clinic = make_clinic()
    with time_machine.travel(datetime(2030, 4, 1, 12, tzinfo=UTC), tick=False) as clock:
        item = make_request(clinic, medications="CANARY-LITHIUM 300mg")
        item.concern_details = "CANARY-DETAIL"
        db.session.commit()
        appointment = schedule_request(clinic, item, at(clinic, date(2030, 4, 9), 9), booker=Booker.STAFF,
                                       actor_id=None, now=utcnow())
        db.session.commit()
        for moment in [r.due_at for r in rows()]:
            clock.move_to(moment)
            deliver_due()
        set_status(clinic, appointment, AppointmentStatus.CANCELLED, actor_id=None, now=utcnow(), reason="x")
        db.session.commit()
        deliver_due()
    assert len(smtp.messages) >= 4
    for message in smtp.messages:
        whole = message.as_string().lower()
        for canary in ("canary", "lithium", "anxiety", "1988-02-03", "heart"):
            assert canary not in whole


def test_worker_command_once(runner: Any, make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic()
    book_infusion(clinic, at(clinic, (utcnow() + timedelta(days=5)).date(), 9), utcnow())
    result = runner.invoke(args=["outbox", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("sent 1,")
    assert len(smtp.messages) == 1


def test_worker_stops_cleanly_when_asked(app: Any, make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    import threading

    from booking.mail.worker import run_worker

    stop = threading.Event()
    results: list[Any] = []

    def work() -> None:
        with app.app_context():
            results.append(run_worker(once=False, idle_seconds=30, batch=10, stop=stop))

    thread = threading.Thread(target=work)
    thread.start()
    stop.set()  # what SIGTERM does
    thread.join(timeout=10)
    assert not thread.is_alive() and len(results) == 1


def test_four_workers_share_500_messages_without_duplicates(
    app: Any, make_clinic: Any, smtp: SmtpServer, ctx: None
) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several workers need PostgreSQL's SKIP LOCKED; on SQLite run one worker")

    from booking.mail.outbox import enqueue

    clinic = make_clinic()
    for n in range(500):
        enqueue(clinic, kind=MessageKind.REQUEST_RECEIVED, dedupe_key=f"bulk-{n}", to_name=f"P {n}",
                to_email=f"p{n}@example.com", context={"first_name": "P", "preferred_times": [],
                "call_me": True, "consent_phone": True}, now=utcnow(), language=Language.EN)
    db.session.commit()
    drain_with_workers(app, batch=50)
    ids = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(ids) == 500 and max(ids.values()) == 1
    assert Counter(r.status for r in rows()) == Counter({OutboxStatus.SENT: 500})
