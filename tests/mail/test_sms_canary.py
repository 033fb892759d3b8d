"""Every text a patient can get carries the minimum necessary, and fits in two segments, in English and Spanish.

The service, the pre-visit medication note, the request's concern and its answers
all carry canary words; none may appear in any text.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from booking.domain.availability import local_instant
from booking.domain.sms_segments import segments
from booking.extensions import db
from booking.mail.outbox import MANAGE_URL_PLACEHOLDER
from booking.models import (
    Channel,
    Clinic,
    ClinicMessaging,
    Language,
    MessageKind,
    OutboxMessage,
    Patient,
    PrevisitInstructions,
    ReminderChannels,
    utcnow,
)
from booking.operations.booking import Booker, BookingSpec, book
from booking.operations.sms_inbound import receive_text
from tests.factories import chairs, give_sms_consent, service
from tests.support.manage import CANARY_CONDITION, CANARY_MEDICATION, SURNAME

UTC = timezone.utc
PHONE = "+13125550166"
# As delivered: the placeholder becomes the public address and a 43-character secret.
LINK = "https://book.example.org/manage/" + "x" * 43
FORBIDDEN = (CANARY_CONDITION, CANARY_MEDICATION, SURNAME, "nfusion", "etamine", "depress", "pain", "dolor",
             "medica", "yes", "sí")


def all_texts(make_clinic: Any, language: Language) -> dict[str, str]:
    clinic: Clinic = make_clinic(name="Lakeside Clinic")
    service(clinic, "infusion").name = f"Ketamine infusion for depression ({CANARY_CONDITION})"
    instructions = db.session.scalar(select(PrevisitInstructions).filter_by(clinic_id=clinic.id))
    instructions.medication_review = f"Hold {CANARY_MEDICATION} the evening before."
    instructions.support_person_text = f"Bring someone; {CANARY_CONDITION}."
    db.session.add(ClinicMessaging(clinic_id=clinic.id, reminder_prep=ReminderChannels.SMS,
                                   reminder_evening=ReminderChannels.SMS, reminder_final=ReminderChannels.SMS))
    person = Patient(clinic_id=clinic.id, full_name=f"Robin {SURNAME}", email="robin@example.com", phone=PHONE,
                     date_of_birth=date(1980, 1, 1), language=language)
    db.session.add(person)
    db.session.commit()
    give_sms_consent(clinic, PHONE)
    day = date(2030, 4, 9)
    start = local_instant(day, time(13, 30), clinic.zone)
    assert start is not None
    with time_machine.travel(datetime(2030, 4, 1, 15, tzinfo=UTC), tick=False):
        book(clinic, BookingSpec(service=service(clinic, "infusion"), patient=person, start=start.astimezone(UTC),
                                 booker=Booker.STAFF, chair_id=chairs(clinic)[0].id, override_consult_first=True),
             actor_id=None, now=utcnow())
        for n, word in enumerate(("HELP", "R", "START", "C")):
            receive_text(clinic, provider_message_id=f"SM{n:032x}", phone=PHONE, body=word, now=utcnow())
        db.session.commit()
    rows = db.session.scalars(select(OutboxMessage).filter_by(channel=Channel.SMS).order_by(OutboxMessage.id))
    return {row.dedupe_key: row.body_text.replace(MANAGE_URL_PLACEHOLDER, LINK) for row in rows}


@pytest.mark.parametrize("language", [Language.EN, Language.ES], ids=lambda lang: lang.value)
def test_no_text_carries_a_service_condition_medication_or_answer(make_clinic: Any, ctx: None,
                                                                 language: Language) -> None:
    found = all_texts(make_clinic, language)
    kinds = {key.split(":")[0] for key in found}
    assert kinds == {MessageKind.REMINDER_PREP.value, MessageKind.REMINDER_EVENING.value,
                     MessageKind.REMINDER_FINAL.value, "sms_reply"}, kinds
    assert len(found) == 7  # three reminders, four replies
    for key, text in found.items():
        for word in FORBIDDEN:
            assert word.lower() not in text.lower().replace("lakeside clinic", ""), (key, word, text)
        assert "Lakeside Clinic" in text, key


@pytest.mark.parametrize("language", [Language.EN, Language.ES], ids=lambda lang: lang.value)
def test_every_text_fits_in_two_segments(make_clinic: Any, ctx: None, language: Language) -> None:
    for key, text in all_texts(make_clinic, language).items():
        assert segments(text).count <= 2, (key, segments(text), len(text), text)


def test_spanish_texts_are_in_spanish(make_clinic: Any, ctx: None) -> None:
    found = all_texts(make_clinic, Language.ES)
    evening = next(text for key, text in found.items() if key.startswith("reminder_evening"))
    assert "Responda C" in evening, evening
    assert "?lang=es" in evening or LINK in evening



