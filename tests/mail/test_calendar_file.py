"""The `.ics` sent with a booking, a new time and a cancellation, read back with icalendar.

Each one is an iTIP message (RFC 5546, section 3.2): REQUEST and CANCEL carry their required
properties, the patient as ATTENDEE and the clinic as ORGANIZER, times in the clinic's zone with
its VTIMEZONE, and the same UID with a higher SEQUENCE at every change, so a calendar app
updates, then removes, the one event.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from flask import Flask
from icalendar import Calendar

from booking.extensions import db
from booking.mail.calendar import appointment_ics
from booking.mail.delivery import deliver_due
from booking.models import Appointment, AppointmentStatus, Clinic, utcnow
from booking.operations.appointment_status import set_status
from booking.operations.booking import Booker, reschedule
from tests.factories import service
from tests.mail.test_pipeline import at, book_infusion, ics_of
from tests.support.smtp import SmtpServer

UTC = timezone.utc
NOW = datetime(2030, 3, 1, 15, tzinfo=UTC)
VISIT = date(2030, 3, 12)  # a Tuesday, two days after Chicago moves to daylight time

# RFC 5546, 3.2.2 (REQUEST) and 3.2.5 (CANCEL): what each must carry ("1" and "1+" rows).
REQUIRED = {
    "REQUEST": {"ATTENDEE", "DTSTAMP", "DTSTART", "ORGANIZER", "SEQUENCE", "SUMMARY", "UID"},
    "CANCEL": {"ATTENDEE", "DTSTAMP", "ORGANIZER", "SEQUENCE", "UID"},
}


def sent_calendars(make_clinic: Any, smtp: SmtpServer) -> tuple[Clinic, Appointment, list[Calendar]]:
    """Book, move and cancel one visit, delivering each notice: the three calendars, in order."""
    clinic = make_clinic(name="Lakeside Infusions")
    for item in (service(clinic, "consult"), service(clinic, "infusion")):
        item.name = f"{item.name} for chronic pain CANARY-SERVICE"
    db.session.commit()
    with time_machine.travel(NOW, tick=False):
        appointment = book_infusion(clinic, at(clinic, VISIT, 9), utcnow())
        deliver_due()
        reschedule(clinic, appointment, at(clinic, VISIT + timedelta(days=1), 13), None, booker=Booker.STAFF,
                   actor_id=None, now=utcnow())
        db.session.commit()
        deliver_due()
        set_status(clinic, appointment, AppointmentStatus.CANCELLED, actor_id=None, now=utcnow(), reason="unwell")
        db.session.commit()
        deliver_due()
    calendars = [ics_of(m) for m in smtp.messages if any(p.get_content_type() == "text/calendar" for p in m.walk())]
    return clinic, appointment, calendars


def test_request_then_cancel_update_the_same_event_with_every_required_property(
    make_clinic: Any, smtp: SmtpServer, ctx: None
) -> None:
    clinic, appointment, calendars = sent_calendars(make_clinic, smtp)
    assert [str(c["METHOD"]) for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    events = []
    for calendar in calendars:
        method = str(calendar["METHOD"])
        assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
        [event] = calendar.walk("VEVENT")
        missing = REQUIRED[method] - set(event.keys())
        assert not missing, f"{method} lacks {missing}"
        events.append(event)
    assert len({str(e["UID"]) for e in events}) == 1
    sequences = [int(e["SEQUENCE"]) for e in events]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3, sequences
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    # The moved one carries the new time.
    assert events[1].decoded("DTSTART") == at(clinic, VISIT + timedelta(days=1), 13)


def test_the_patient_is_the_attendee_and_the_clinic_the_organizer(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic, _, calendars = sent_calendars(make_clinic, smtp)
    for calendar in calendars:
        [event] = calendar.walk("VEVENT")
        attendee, organizer = event["ATTENDEE"], event["ORGANIZER"]
        assert str(attendee) == "mailto:avery@example.com"
        assert attendee.params["CN"] == "Avery Mailtest"
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert str(organizer) == f"mailto:{clinic.email}" and organizer.params["CN"] == "Lakeside Infusions"
        if str(calendar["METHOD"]) == "REQUEST":
            assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"


def test_times_are_in_the_clinics_zone_with_its_vtimezone(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic, _, calendars = sent_calendars(make_clinic, smtp)
    request = calendars[0]
    [zone] = request.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Chicago"
    # Both offsets, so a reader knows the visit's own (CDT, two days after the change).
    assert request.walk("STANDARD") and request.walk("DAYLIGHT")
    [event] = request.walk("VEVENT")
    for field in ("DTSTART", "DTEND"):
        assert event[field].params["TZID"] == "America/Chicago"
    start = at(clinic, VISIT, 9)
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=-5)
    assert event.decoded("DTEND") == start + timedelta(minutes=105)  # until the patient may leave
    # Every TZID used has its VTIMEZONE (what icalendar would otherwise have to add).
    assert not request.get_missing_tzids()
    raw = request.to_ical().decode()
    assert "DTSTART;TZID=America/Chicago:20300312T090000" in raw


def test_the_description_gives_the_visits_end_and_when_the_patient_may_leave(
    make_clinic: Any, smtp: SmtpServer, ctx: None
) -> None:
    _, _, calendars = sent_calendars(make_clinic, smtp)
    [event] = calendars[0].walk("VEVENT")
    assert str(event["DESCRIPTION"]) == (
        "The visit itself ends at 10:00 AM, then comes the recovery time.\n"
        "You can leave at about 10:45 AM.\n"
        "Questions or changes: +1 312-555-0100"
    )


def test_nothing_clinical_in_any_calendar(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    _, _, calendars = sent_calendars(make_clinic, smtp)
    for calendar in calendars:
        raw = calendar.to_ical().decode().lower()
        for word in ("canary", "chronic", "pain", "1980"):
            assert word not in raw, word
        assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Treatment visit at Lakeside Infusions"


@pytest.mark.parametrize("name", ['Avery "Ave" Mailtest', "Avery\r\nATTENDEE:mailto:x@evil.example", "Avery\x00 M"])
def test_the_attendees_name_cannot_break_the_file(app: Flask, make_clinic: Any, ctx: None, name: str) -> None:
    clinic = make_clinic()
    with time_machine.travel(NOW, tick=False):
        appointment = book_infusion(clinic, at(clinic, VISIT, 9), utcnow())
        body = appointment_ics(clinic, appointment, service(clinic, "infusion"), attendee=(name, "avery@example.com"),
                               method="REQUEST", domain="booking.localhost", now=utcnow())
    [event] = Calendar.from_ical(body).walk("VEVENT")
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:avery@example.com"  # one attendee, the patient
    assert not set(attendee.params["CN"]) & set('"\r\n\x00')
    # One ATTENDEE line (a folded line goes on after a space): the name stayed inside its CN.
    assert len([line for line in body.split("\r\n") if line.startswith("ATTENDEE")]) == 1
    assert not isinstance(event["ATTENDEE"], list)
