"""Nothing of a check-in leaves the product: no answer, score, item or medication change in any
email, .ics or log line, while the reminders ask the patient to check in (with the link)."""
from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.models import CheckIn, Instrument, MessageKind, OutboxMessage, Role, utcnow
from booking.operations.booking import Booker, BookingSpec, book
from tests.factories import chairs, create_patient, create_staff, service
from tests.support.checkin import CANARY_MEDS, answers, ask
from tests.support.clinic_time import local
from tests.support.manage import link_for
from tests.support.sign_in import login
from tests.support.smtp import SmtpServer

# What must never appear outside the product: the typed text, item wording, instrument names, bands.
FORBIDDEN = [
    CANARY_MEDS, "Little interest or pleasure", "better off dead", "nervous, anxious", "PHQ", "GAD", "PCL",
    "moderately severe", "self-harm", "Poco interés",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_check_in_answers_never_reach_mail_ics_or_logs(
    make_clinic: Any, smtp: SmtpServer, client: FlaskClient, caplog: pytest.LogCaptureFixture, language: str
) -> None:
    caplog.set_level(logging.DEBUG)
    clinic = make_clinic()
    ask(service(clinic, "infusion"), Instrument.PHQ9, Instrument.GAD7, Instrument.PCL5)
    day = date(2030, 5, 14)
    start = local(clinic, day, 9)
    with time_machine.travel(datetime.combine(day - timedelta(days=10), time(12), tzinfo=timezone.utc),
                             tick=False) as clock:
        patient = create_patient(clinic)
        patient.language = patient.language.__class__(language)
        db.session.commit()
        appointment = book(clinic, BookingSpec(
            service=service(clinic, "infusion"), patient=patient, start=start, booker=Booker.STAFF,
            chair_id=chairs(clinic)[0].id, override_consult_first=True), actor_id=None, now=utcnow())
        db.session.commit()
        deliver_due()
        evening = db.session.scalar(select(OutboxMessage).filter_by(kind=MessageKind.REMINDER_EVENING))
        clock.move_to(evening.due_at - timedelta(hours=1))
        page = link_for(appointment) + f"/checkin?lang={language}"
        data = {"fasting_confirmed": "y", "driver_name": "Sam Driver", "driver_phone": "312-555-0199",
                "driver_confirmed": "y", "medication_change": f"Doubled {CANARY_MEDS} last week"}
        data |= answers(Instrument.PHQ9, [3, 3, 3, 3, 3, 2, 2, 2, 1])
        data |= answers(Instrument.GAD7, [3] * 7)
        data |= answers(Instrument.PCL5, [4] * 20)
        assert client.post(page, data=data).status_code == 303
        assert db.session.scalar(select(CheckIn)).self_harm
        # A second check-in, the clinician's views and acknowledgement: still nothing sent about them.
        assert client.post(page, data=data).status_code == 303
        clinician = create_staff(1, clinic, role=Role.CLINICIAN)
        staff = client.application.test_client()
        login(staff, clinician.email)
        deliver_due()  # the staff member's "signed in from a new browser" notice
        for checkin in db.session.scalars(select(CheckIn)):
            assert staff.get(f"/dashboard/checkins/{checkin.id}").status_code == 200
            staff.post(f"/dashboard/checkins/{checkin.id}/acknowledge")
        staff.get(f"/dashboard/patients/{patient.id}")
        ics = client.get(link_for(appointment) + "/calendar.ics").get_data(as_text=True)
        clock.move_to(evening.due_at)
        assert deliver_due().sent == 1
        final = db.session.scalar(select(OutboxMessage).filter_by(kind=MessageKind.REMINDER_FINAL))
        clock.move_to(final.due_at)
        assert deliver_due().sent == 1
    mails = [m.as_string() for m in smtp.messages]
    assert len(mails) >= 3  # booked, evening, final
    # The reminders only ask for the check-in, with the link.
    reminders = smtp.messages[-2:]
    for reminder in reminders:
        text = reminder.get_body(("plain",)).get_content()
        assert f"/checkin?lang={language}" in text
        assert ("Please check in before your visit:" if language == "en"
                else "Por favor, regístrese antes de su visita:") in text
    logs = "\n".join(r.getMessage() for r in caplog.records)
    for secret in FORBIDDEN:
        for mail in mails:
            assert secret not in mail, secret
        assert secret not in ics, secret
        assert secret not in logs, secret
    # Decoded bodies as well as the wire form (quoted-printable could hide a match).
    for message in smtp.messages:
        for part in message.walk():
            if part.get_content_maintype() == "text":
                body = part.get_content()
                assert not any(secret in body for secret in FORBIDDEN)
