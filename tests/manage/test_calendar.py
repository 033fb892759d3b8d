"""The calendar file behind the patient's link."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from booking.models import Appointment


def events(body: bytes) -> tuple[Calendar, list]:
    calendar = Calendar.from_ical(body)
    return calendar, list(calendar.walk("VEVENT"))


def test_calendar_file_requests_the_appointment(
    app: Flask, client: FlaskClient, appt: Appointment, url: str
) -> None:
    response = client.get(f"{url}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    calendar, [event] = events(response.data)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"appointment-{appt.id}@{app.config['MAIL_MESSAGE_ID_DOMAIN']}"
    assert int(event["SEQUENCE"]) == appt.version == 1
    assert event.decoded("DTSTART") == appt.starts_at
    assert event.decoded("DTEND") == appt.blocked_until
    assert "chronic pain" not in response.get_data(as_text=True)  # the neutral label, as in emails


def test_after_cancelling_the_file_cancels(client: FlaskClient, appt: Appointment, url: str) -> None:
    before = events(client.get(f"{url}/calendar.ics").data)[1][0]
    client.post(f"{url}/cancel")
    calendar, [event] = events(client.get(f"{url}/calendar.ics").data)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(before["UID"])
    assert int(event["SEQUENCE"]) > int(before["SEQUENCE"])
