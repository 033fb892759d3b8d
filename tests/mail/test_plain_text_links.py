"""The plain-text part of every email carries the same "Directions" and "Add to your calendar" links
as its HTML part: read from the messages a real SMTP server received, secret links filled in.
"""
from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine

from booking.domain.series import PlannedSession
from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.mail.outbox import MANAGE_URL_PLACEHOLDER
from booking.models import SMS_ONLY_KINDS, STAFF_KINDS, AppointmentStatus, ChangeRequest, Language, MessageKind, utcnow
from booking.operations.appointment_status import set_status
from booking.operations.booking import Booker, reschedule
from booking.operations.change_requests import decline
from booking.operations.intake import submit_request
from booking.operations.patient_actions import DriverDetails, save_driver
from booking.operations.series_booking import book_series
from tests.factories import service
from tests.mail.test_email_layout import ADDRESS, BEFORE, NAME, WITH_CALENDAR_LINK, WORDS, links
from tests.mail.test_pipeline import at, book_infusion, patient, rows
from tests.mail.test_reminder_wording import VISIT
from tests.mail.test_spanish import details
from tests.support.smtp import SmtpServer


def text_links(text: str, labels: list[str]) -> dict[str, str]:
    """{label: address} of the plain text's "Label: https://..." lines."""
    found = {}
    for label in labels:
        lines = re.findall(rf"^{re.escape(label)}: (\S+)$", text, re.M)
        assert len(lines) <= 1, (label, lines)
        if lines:
            found[label] = lines[0]
    return found


def every_kind_delivered(make_clinic: Any, smtp: SmtpServer, language: Language) -> list[EmailMessage]:
    """Each kind of message sent at its due time through the SMTP server; what the server received."""
    clinic = make_clinic(name=NAME, chairs=2)
    clinic.address = ADDRESS
    db.session.commit()
    with time_machine.travel(BEFORE, tick=False):
        submit_request(clinic, service(clinic, "consult"), details(at(clinic, VISIT, 9), language=language), utcnow())
        kept = book_infusion(clinic, at(clinic, VISIT, 9), utcnow(), language)
        save_driver(clinic, kept, DriverDetails(name="Dana Driver", phone="+13125550199", email="dana@example.com",
                                                may_email=True, confirmed=True), utcnow())
        asked = ChangeRequest(clinic_id=clinic.id, appointment_id=kept.id, preferred_times=[])
        db.session.add(asked)
        db.session.flush()
        decline(clinic, asked, "That afternoon is full.", actor_id=None, now=utcnow())
        moved = book_infusion(clinic, at(clinic, VISIT + timedelta(days=2), 9), utcnow(), language)
        reschedule(clinic, moved, at(clinic, VISIT + timedelta(days=3), 13), None, booker=Booker.STAFF,
                   actor_id=None, now=utcnow())
        db.session.commit()
        deliver_due()  # before the cancellation voids the news of the move
        set_status(clinic, moved, AppointmentStatus.CANCELLED, actor_id=None, now=utcnow(), reason="x")
        book_series(clinic, patient(clinic, language), service(clinic, "infusion"),
                    [PlannedSession(at(clinic, VISIT + timedelta(days=7 + 2 * n), 9)) for n in range(3)],
                    actor_id=None, now=utcnow(), override_consult_first=True)
        db.session.commit()
    # The reminders and the driver's note go out when they fall due, before the visit.
    for due in sorted({row.due_at for row in rows() if row.due_at < at(clinic, VISIT, 9)}):
        with time_machine.travel(due + timedelta(seconds=1), tick=False):
            deliver_due()
    return smtp.messages


@pytest.mark.parametrize("language", [Language.EN, Language.ES], ids=lambda lang: lang.value)
def test_plain_text_has_the_same_links_as_the_html(
    make_clinic: Any, smtp: SmtpServer, ctx: None, language: Language
) -> None:
    messages = every_kind_delivered(make_clinic, smtp, language)
    words = WORDS[language]
    labels = [words["directions"], words["calendar"]]
    with_calendar = 0
    for message in messages:
        subject = str(message["Subject"])
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
        in_html = {label: href for label, href in links(html).items() if label in labels}
        in_text = text_links(text, labels)
        assert in_text == in_html, subject
        assert words["directions"] in in_text, subject
        assert "https://www.google.com/maps/search/?api=1&query=" in in_text[words["directions"]], subject
        if words["calendar"] in in_text:
            with_calendar += 1
            calendar = in_text[words["calendar"]]
            # A real secret link, the message's language on it.
            assert calendar.startswith("http://127.0.0.1:5000/manage/"), subject
            assert calendar.endswith(f"/calendar.ics?lang={language.value}"), subject
        assert MANAGE_URL_PLACEHOLDER not in text, subject
    sent = [row.kind for row in rows() if row.sent_at is not None]
    assert len(sent) == len(messages)
    expected = set(MessageKind) - STAFF_KINDS - SMS_ONLY_KINDS  # staff emails: their own tests; replies: texts
    assert set(sent) == expected, expected - set(sent)
    # Exactly the messages about a visit to come carry its calendar file's link, in both parts.
    assert with_calendar == len([kind for kind in sent if kind in WITH_CALENDAR_LINK]) > 0
