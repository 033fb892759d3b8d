"""Reminders name the day as the patient will read it: "Tomorrow" only when it is, in the clinic's zone."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.models import Clinic, Language, MessageKind, OutboxMessage, PrevisitInstructions, utcnow
from tests.mail.test_pipeline import at, book_infusion
from tests.support.smtp import SmtpServer

UTC = timezone.utc
VISIT = date(2026, 3, 3)  # a Tuesday, 09:00 in Chicago (CST, UTC-6) = 15:00 UTC


def clinic_fasting(make_clinic: Any, hours: int, **settings: Any) -> Clinic:
    clinic: Clinic = make_clinic(name="Lakeside Infusions", timezone="America/Chicago", **settings)
    instructions = db.session.scalar(select(PrevisitInstructions).filter_by(clinic_id=clinic.id, service_id=None))
    assert instructions is not None
    instructions.fasting_hours = hours
    db.session.commit()
    return clinic


def deliver_reminder(
    clinic: Clinic, kind: MessageKind, smtp: SmtpServer, language: Language = Language.EN
) -> tuple[datetime, Any]:
    """Book the 09:00 visit, deliver the `kind` reminder at its moment; its due instant and the message."""
    with time_machine.travel(datetime(2026, 2, 20, 12, tzinfo=UTC), tick=False) as clock:
        book_infusion(clinic, at(clinic, VISIT, 9), utcnow(), language)
        [row] = db.session.scalars(select(OutboxMessage).filter_by(kind=kind)).all()
        due = row.due_at
        clock.move_to(due)
        deliver_due()
    [message] = [m for m in smtp.messages if m["Message-ID"] == row.message_id]
    return due, message


def text_of(message: Any) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_long_fasting_evening_reminder_two_days_before_names_the_day(
    make_clinic: Any, smtp: SmtpServer, ctx: None
) -> None:
    # 12 hours before 09:00 Tuesday: no food after 21:00 Monday, so the reminder goes 18:00 Sunday
    # (00:00 UTC Monday: in UTC the visit would look like "tomorrow").
    clinic = clinic_fasting(make_clinic, 12)
    due, message = deliver_reminder(clinic, MessageKind.REMINDER_EVENING, smtp)
    assert due == datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    assert message["Subject"] == "On Tuesday, March 3, 2026: your appointment at Lakeside Infusions"
    for body in text_of(message):
        assert "tomorrow" not in body.lower()
        assert "Your appointment is on Tuesday, March 3, 2026." in body
        assert "9:00 PM" in body and "Monday, March 2, 2026" in body


def test_evening_reminder_the_day_before_says_tomorrow(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    # 6 hours: no food after 03:00 Tuesday, reminder 18:00 Monday (00:00 UTC Tuesday, the visit's UTC day).
    clinic = clinic_fasting(make_clinic, 6)
    due, message = deliver_reminder(clinic, MessageKind.REMINDER_EVENING, smtp)
    assert due == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    assert message["Subject"] == "Tomorrow: your appointment at Lakeside Infusions"
    for body in text_of(message):
        assert "Your appointment is tomorrow." in body


@pytest.mark.parametrize(("hours_before", "subject"), [
    (2, "Today at 9:00 AM: your appointment at Lakeside Infusions"),
    (14, "Tomorrow at 9:00 AM: your appointment at Lakeside Infusions"),  # 19:00 Monday
])
def test_final_reminder_says_today_only_on_the_day(
    make_clinic: Any, smtp: SmtpServer, ctx: None, hours_before: int, subject: str
) -> None:
    clinic = clinic_fasting(make_clinic, 6, reminder_hours_before=hours_before)
    due, message = deliver_reminder(clinic, MessageKind.REMINDER_FINAL, smtp)
    assert due == at(clinic, VISIT, 9) - timedelta(hours=hours_before)
    assert message["Subject"] == subject
    day = subject.split(" at ")[0].lower()
    for body in text_of(message):
        assert f"Your appointment is {day}:" in body
