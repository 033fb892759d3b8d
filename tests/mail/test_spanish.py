"""A Spanish-speaking patient's emails, end to end through a real SMTP server: every word Spanish.

Each message's subject, text and HTML bodies (and its calendar file) are checked against the
emails' English (tests/support/catalogue.py): no run of three English words may show.
"""
from __future__ import annotations

import html as html_lib
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext

from booking.domain.screening import SCREENING_QUESTIONS
from booking.domain.series import PlannedSession
from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.models import (
    Answer,
    AppointmentStatus,
    ChangeRequest,
    Concern,
    Language,
    MessageKind,
    OutboxStatus,
    Patient,
    utcnow,
)
from booking.operations.appointment_status import set_status
from booking.operations.booking import Booker, reschedule
from booking.operations.change_requests import decline
from booking.operations.intake import RequestDetails, submit_request
from booking.operations.patient_actions import DriverDetails, save_driver
from booking.operations.scheduling import schedule_request
from booking.operations.series_booking import book_series
from tests.factories import service
from tests.mail.test_pipeline import at, book_infusion, ics_of, patient, rows
from tests.mail.test_reminder_wording import VISIT, clinic_fasting, deliver_reminder
from tests.support.catalogue import english_phrases
from tests.support.smtp import SmtpServer

UTC = timezone.utc
BEFORE = datetime(2026, 2, 20, 12, tzinfo=UTC)  # well before the Tuesday, March 3, 2026 visits
NAME = "Lakeside Infusions"
LINK = re.compile(r"http://127\.0\.0\.1:5000(/manage/[A-Za-z0-9_-]{43})(\?lang=[a-z]+)?")


@pytest.fixture(autouse=True)
def spanish_catalogue(app: Flask) -> None:
    """The tests need the compiled Spanish catalogue: say so plainly when it is missing."""
    with app.app_context(), force_locale("es"):
        if gettext("Your appointment is booked:") == "Your appointment is booked:":
            pytest.fail("no Spanish for the emails in booking/translations/es/LC_MESSAGES/messages.mo: "
                        "run `make translations` (messages.po, with the emails' part merged in)")


def subject_of(message: Any) -> str:
    """The subject as a mail reader shows it, checked to be one plain line."""
    # Python's email folds a long subject that fits on one line onto the next one whole
    # ("Subject:" CRLF SP "Recordatorio: ..."); readers drop the folding space.
    subject = str(message["Subject"]).lstrip(" ")
    assert not set(subject) & set("\r\n\t\u202f\xa0"), repr(subject)  # plain spaces, one line
    return subject


def parts(message: Any) -> tuple[str, str, str]:
    """Subject, text body, and the HTML body's words (tags dropped, entities read)."""
    html = message.get_body(("html",)).get_content()
    words = html_lib.unescape(re.sub(r"<[^>]+>", "", html))
    return subject_of(message), message.get_body(("plain",)).get_content(), words


def everything_in(message: Any) -> str:
    """Every header and every part of `message`, decoded (the bodies go out base64 or quoted-printable)."""
    texts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if not part.is_multipart():
            texts.append(part.get_payload(decode=True).decode())
    return "\n".join(texts)


def assert_spanish(message: Any) -> None:
    """No English sentence anywhere the patient reads, in the message or its calendar file."""
    html = message.get_body(("html",)).get_content()
    assert '<html lang="es">' in html
    readable = [*parts(message)]
    if any(p.get_content_type() == "text/calendar" for p in message.walk()):
        [event_] = ics_of(message).walk("VEVENT")
        for field in ("SUMMARY", "DESCRIPTION"):
            assert event_[field].params["LANGUAGE"] == "es"
            readable.append(str(event_[field]))
    for text in readable:
        english = sorted(p for p in english_phrases() if p in text.lower())
        assert not english, f"English in a Spanish message: {english}\n{text}"


def test_a_spanish_patients_booking_confirmation_is_spanish_and_links_to_a_spanish_page(
    make_clinic: Any, smtp: SmtpServer, client: FlaskClient, ctx: None
) -> None:
    clinic = make_clinic(name=NAME)  # fasting 6 hours, clear liquids until 2 hours before
    with time_machine.travel(BEFORE, tick=False):
        book_infusion(clinic, at(clinic, VISIT, 9), utcnow(), Language.ES)
        assert deliver_due().sent == 1
        [message] = smtp.messages
        subject, text, words = parts(message)
        assert subject == "Su cita en Lakeside Infusions el martes, 3 de marzo de 2026"
        for body in (text, words):
            assert "Hola, Avery:" in body and "Su cita quedó reservada:" in body
            assert "Visita de tratamiento" in body
            assert "martes, 3 de marzo de 2026, de 9:00 a.m. a 10:00 a.m." in body
            assert ("No coma nada después de las 3:00 a.m. del martes, 3 de marzo de 2026; "
                    "hasta las 7:00 a.m. puede tomar líquidos claros.") in body
            assert "Podrá irse a partir de las 10:45 a.m., aproximadamente." in body
        assert_spanish(message)
        link = LINK.search(text)
        assert link is not None and link.group(2) == "?lang=es"
        assert f'href="{link.group(0)}"' in message.get_body(("html",)).get_content()
        page = client.get(link.group(1) + link.group(2), headers={"Accept-Language": "en"})
    assert page.status_code == 200 and '<html lang="es">' in page.get_data(as_text=True)
    [event_] = ics_of(message).walk("VEVENT")
    assert str(event_["SUMMARY"]) == "Visita de tratamiento en Lakeside Infusions"
    assert str(event_["DESCRIPTION"]) == (
        "La visita termina a las 10:00 a.m. y luego viene el tiempo de recuperación.\n"
        "Podrá irse a partir de las 10:45 a.m., aproximadamente.\n"
        "Preguntas o cambios: +1 312-555-0100"
    )


def test_an_english_patients_link_and_calendar_say_english(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic(name=NAME)
    with time_machine.travel(BEFORE, tick=False):
        book_infusion(clinic, at(clinic, VISIT, 9), utcnow())
        deliver_due()
    [message] = smtp.messages
    link = LINK.search(message.get_body(("plain",)).get_content())
    assert link is not None and link.group(2) == "?lang=en"
    [event_] = ics_of(message).walk("VEVENT")
    assert str(event_["SUMMARY"]) == "Treatment visit at Lakeside Infusions"
    assert event_["SUMMARY"].params["LANGUAGE"] == "en"


@pytest.mark.parametrize(("kind", "fasting", "settings", "subject", "lead"), [
    pytest.param(MessageKind.REMINDER_PREP, 6, {},
                 "Recordatorio: su cita en Lakeside Infusions el martes, 3 de marzo de 2026",
                 "Le recordamos su próxima cita y cómo prepararse:", id="prep"),
    # No food after 03:00 Tuesday: the reminder goes at 18:00 on Monday.
    pytest.param(MessageKind.REMINDER_EVENING, 6, {}, "Mañana: su cita en Lakeside Infusions",
                 "Su cita es mañana. Recuerde: no coma nada después de las 3:00 a.m. del martes, 3 de marzo de 2026.",
                 id="evening-tomorrow"),
    # One o'clock takes "la", every other hour "las".
    pytest.param(MessageKind.REMINDER_EVENING, 8, {}, "Mañana: su cita en Lakeside Infusions",
                 "Su cita es mañana. Recuerde: no coma nada después de la 1:00 a.m. del martes, 3 de marzo de 2026.",
                 id="evening-one-oclock"),
    # No food after 21:00 Monday: the reminder goes at 18:00 on Sunday, two evenings before.
    pytest.param(MessageKind.REMINDER_EVENING, 12, {}, "El martes, 3 de marzo de 2026: su cita en Lakeside Infusions",
                 "Su cita es el martes, 3 de marzo de 2026. Recuerde: no coma nada después de las 9:00 p.m. del "
                 "lunes, 2 de marzo de 2026.", id="evening-named-day"),
    pytest.param(MessageKind.REMINDER_FINAL, 6, {"reminder_hours_before": 2},
                 "Hoy a las 9:00 a.m.: su cita en Lakeside Infusions", "Le esperamos. Su cita es hoy:", id="final-today"),
    pytest.param(MessageKind.REMINDER_FINAL, 6, {"reminder_hours_before": 14},
                 "Mañana a las 9:00 a.m.: su cita en Lakeside Infusions", "Le esperamos. Su cita es mañana:",
                 id="final-tomorrow"),
])
def test_reminders_in_spanish(
    make_clinic: Any, smtp: SmtpServer, ctx: None, kind: MessageKind, fasting: int, settings: dict[str, Any],
    subject: str, lead: str,
) -> None:
    clinic = clinic_fasting(make_clinic, fasting, **settings)
    _, message = deliver_reminder(clinic, kind, smtp, Language.ES)
    assert subject_of(message) == subject
    for body in parts(message)[1:]:
        assert lead in body
        assert "martes, 3 de marzo de 2026, de 9:00 a.m. a 10:00 a.m." in body
        if "mañana" not in subject.lower():
            assert "mañana" not in body.lower()
    assert_spanish(message)
    assert LINK.search(parts(message)[1]).group(2) == "?lang=es"  # type: ignore[union-attr]


def test_a_new_time_and_a_cancellation_in_spanish(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic(name=NAME)
    with time_machine.travel(BEFORE, tick=False):
        appointment = book_infusion(clinic, at(clinic, VISIT, 9), utcnow(), Language.ES)
        reschedule(clinic, appointment, at(clinic, VISIT + timedelta(days=1), 13), None, booker=Booker.STAFF,
                   actor_id=None, now=utcnow())
        db.session.commit()
        deliver_due()  # the first confirmation is void by now: only the new time goes out
        set_status(clinic, appointment, AppointmentStatus.CANCELLED, actor_id=None, now=utcnow(), reason="x")
        db.session.commit()
        deliver_due()
    moved, cancelled = smtp.messages
    assert subject_of(moved) == "Su cita en Lakeside Infusions se cambió al miércoles, 4 de marzo de 2026"
    for body in parts(moved)[1:]:
        assert "Su cita tiene una nueva fecha y hora:" in body
        assert "miércoles, 4 de marzo de 2026, de 1:00 p.m. a 2:00 p.m." in body
        assert ("No coma nada después de las 7:00 a.m. del miércoles, 4 de marzo de 2026; "
                "hasta las 11:00 a.m. puede tomar líquidos claros.") in body
        assert "Podrá irse a partir de las 2:45 p.m., aproximadamente." in body
    assert subject_of(cancelled) == "Se canceló su cita en Lakeside Infusions del miércoles, 4 de marzo de 2026"
    for body in parts(cancelled)[1:]:
        assert "Esta cita está cancelada:" in body
        assert "Si desea una nueva cita, llámenos o responda a este correo." in body
    for message in (moved, cancelled):
        assert_spanish(message)
    assert str(ics_of(cancelled)["METHOD"]) == "CANCEL"
    assert str(ics_of(cancelled).walk("VEVENT")[0]["SUMMARY"]) == "Visita de tratamiento en Lakeside Infusions"


def test_a_declined_change_request_in_spanish(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic(name=NAME)
    with time_machine.travel(BEFORE, tick=False):
        appointment = book_infusion(clinic, at(clinic, VISIT, 9), utcnow(), Language.ES)
        db.session.commit()
        deliver_due()
        smtp.messages.clear()
        asked = ChangeRequest(clinic_id=clinic.id, appointment_id=appointment.id,
                              preferred_times=[at(clinic, VISIT, 14).isoformat()])
        db.session.add(asked)
        db.session.flush()
        decline(clinic, asked, "Esa tarde está completa.", actor_id=None, now=utcnow())
        db.session.commit()
        deliver_due()
    [declined] = smtp.messages
    assert subject_of(declined) == "Su cita en Lakeside Infusions sigue el martes, 3 de marzo de 2026"
    for body in parts(declined)[1:]:
        assert "No pudimos cambiar su cita al horario que pidió. Su cita sigue siendo:" in body
        assert "Esa tarde está completa." in body
    assert_spanish(declined)


def test_a_series_confirmation_in_spanish(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic(name=NAME, chairs=1)
    person = patient(clinic, Language.ES)
    starts = [at(clinic, VISIT + timedelta(days=2 * n), 9) for n in range(3)]
    with time_machine.travel(BEFORE, tick=False):
        book_series(clinic, person, service(clinic, "infusion"), [PlannedSession(s) for s in starts],
                    actor_id=None, now=utcnow(), override_consult_first=True)
        db.session.commit()
        deliver_due()
    [message] = smtp.messages
    assert subject_of(message) == "Sus citas en Lakeside Infusions"
    for body in parts(message)[1:]:
        assert "Sus 3 citas (Visita de tratamiento) quedaron reservadas:" in body
        for day in ("martes, 3", "jueves, 5", "sábado, 7"):
            assert f"{day} de marzo de 2026, de 9:00 a.m. a 10:00 a.m." in body
        assert "Si necesita cambiar alguna, llámenos al +1 312-555-0100." in body
    assert_spanish(message)


def test_the_drivers_note_is_in_the_patients_language(make_clinic: Any, smtp: SmtpServer, ctx: None) -> None:
    clinic = make_clinic(name=NAME)
    with time_machine.travel(BEFORE, tick=False):
        # 12:00 for an hour, then 45 minutes of recovery: pickup at 1:45 PM, "a la 1:45".
        appointment = book_infusion(clinic, at(clinic, VISIT, 12), utcnow(), Language.ES)
        save_driver(clinic, appointment, DriverDetails(name="Dana Conductora", phone="+13125550199",
                                                      email="dana@example.com", may_email=True, confirmed=True),
                    utcnow())
        db.session.commit()
        deliver_due()
    [note] = [m for m in smtp.messages if "dana@example.com" in m["To"]]
    assert subject_of(note) == "Hora para recoger a Avery: martes, 3 de marzo de 2026, a la 1:45 p.m."
    for body in parts(note)[1:]:
        assert "Hola, Dana Conductora:" in body
        assert "Avery pidió a Lakeside Infusions que le enviara la hora de recogida." in body
        assert "Por favor, recoja a Avery el martes, 3 de marzo de 2026, a la 1:45 p.m. en esta dirección:" in body
    assert_spanish(note)


def details(*times: datetime, **overrides: Any) -> RequestDetails:
    """A request for a consultation at `times` (overrides: any field)."""
    fields: dict[str, Any] = dict(
        full_name="Avery Pidiendo", email="avery@example.com", phone="+13125550177", date_of_birth=date(1985, 3, 4),
        concern=Concern.DEPRESSION, concern_details="", answers=dict.fromkeys(SCREENING_QUESTIONS, Answer.NO),
        medications="", support_person=Answer.YES, consent_privacy=True, consent_email=True, consent_phone=True,
        preferred_times=times,
    )
    return RequestDetails(**{**fields, **overrides})


@pytest.mark.parametrize(("language", "subject", "times"), [
    (Language.ES, "Recibimos su solicitud de consulta: Lakeside Infusions",
     ["- martes, 3 de marzo de 2026, a las 9:00 a.m.", "- miércoles, 4 de marzo de 2026, a la 1:00 p.m."]),
    (Language.EN, "We received your consultation request: Lakeside Infusions",
     ["- Tuesday, March 3, 2026 at 9:00 AM", "- Wednesday, March 4, 2026 at 1:00 PM"]),
])
def test_the_acknowledgment_is_in_the_language_the_request_was_made_in(
    make_clinic: Any, smtp: SmtpServer, ctx: None, language: Language, subject: str, times: list[str]
) -> None:
    clinic = make_clinic(name=NAME)
    wanted = (at(clinic, VISIT, 9), at(clinic, VISIT + timedelta(days=1), 13))
    with time_machine.travel(BEFORE, tick=False):
        submit_request(clinic, service(clinic, "consult"), details(*wanted, language=language), utcnow())
        db.session.commit()
        deliver_due()
    [message] = smtp.messages
    assert subject_of(message) == subject
    text = parts(message)[1]
    assert all(t in text for t in times)
    if language is Language.ES:
        assert "Horarios que nos dijo que le convienen:" in text
        assert ("Próximos pasos: nos comunicaremos con usted por teléfono o por correo electrónico en un plazo "
                "de un día hábil para confirmar su consulta.") in text
        assert_spanish(message)


def test_no_condition_medication_or_answer_in_any_spanish_message(
    make_clinic: Any, make_request: Any, smtp: SmtpServer, ctx: None
) -> None:
    clinic = make_clinic(name=NAME)
    for item in (service(clinic, "consult"), service(clinic, "infusion")):
        item.name = f"{item.name} para dolor crónico y ansiedad CANARY-SERVICE"
    with time_machine.travel(BEFORE, tick=False) as clock:
        # A flagged request in Spanish: its acknowledgment.
        submit_request(clinic, service(clinic, "consult"), details(
            at(clinic, VISIT, 9), concern=Concern.ANXIETY, concern_details="CANARY-DETAIL ataques de pánico",
            medications="CANARY-LITHIUM litio 300 mg", answers={**dict.fromkeys(SCREENING_QUESTIONS, Answer.NO),
                                                                 "heart_condition": Answer.YES},
            email="flagged@example.com", language=Language.ES), utcnow())
        # Another, scheduled: the confirmation, every reminder, the driver's note, the cancellation.
        item = make_request(clinic, medications="CANARY-LITHIUM 300mg")
        item.concern_details = "CANARY-DETAIL"
        item.language = Language.ES
        db.session.add(Patient(clinic_id=clinic.id, full_name=item.full_name, email=item.email, phone=item.phone,
                               date_of_birth=item.date_of_birth, language=Language.ES))
        db.session.commit()
        appointment = schedule_request(clinic, item, at(clinic, VISIT, 9), booker=Booker.STAFF, actor_id=None,
                                       now=utcnow())
        save_driver(clinic, appointment, DriverDetails(name="Dana Conductora", phone="+13125550199",
                                                      email="dana@example.com", may_email=True, confirmed=True),
                    utcnow())
        db.session.commit()
        for moment in [r.due_at for r in rows(status=OutboxStatus.PENDING)]:
            clock.move_to(moment)
            deliver_due()
        set_status(clinic, appointment, AppointmentStatus.CANCELLED, actor_id=None, now=utcnow(), reason="x")
        db.session.commit()
        deliver_due()
    kinds = [subject_of(m) for m in smtp.messages]
    assert len(smtp.messages) == 7, kinds  # acknowledgment, confirmation, driver, 3 reminders, cancellation
    for message in smtp.messages:
        whole = everything_in(message).lower()
        for canary in ("canary", "lithium", "litio", "anxiety", "ansiedad", "pánico", "1988-02-03", "1985-03-04",
                       "heart", "corazón", "dolor", "pain"):
            assert canary not in whole, canary
        assert_spanish(message)
