"""The public pages in Spanish: no English sentence left, dates in Spanish, the language kept.

The clinic's own texts (its name, address, services, instructions) are the clinic's to
write and stay as they are; everything the app says comes from the Spanish catalogue.
"""
from __future__ import annotations

import html
import json
import re
from typing import Any

from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import (
    Clinic,
    ConsultationRequest,
    Language,
    Patient,
    RequestStatus,
    Role,
    utcnow,
)
from booking.operations.booking import Booker
from booking.operations.scheduling import schedule_request
from tests.support.clinic_time import days_ahead, local
from tests.support.request_form import form_data
from tests.support.sign_in import login
from tests.support.spanish import english_left, page_language, visible_text


def assert_spanish(page: str, clinic: Clinic | None = None) -> str:
    """The page is in Spanish with no English sentence from the catalogue; its visible text."""
    assert page_language(page) == "es"
    allowed = (clinic.name, clinic.address) if clinic else ()
    assert english_left(page, allowed) == []
    text = visible_text(page)
    assert "m.." not in text  # "a.m." ends a sentence without a second period
    return text


def stored_request(clinic: Clinic) -> ConsultationRequest:
    db.session.expire_all()
    found = db.session.scalar(select(ConsultationRequest).where(ConsultationRequest.clinic_id == clinic.id))
    assert found is not None
    return found


def test_the_clinic_page_in_spanish(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    text = assert_spanish(client.get(f"/{clinic.slug}/?lang=es").get_data(as_text=True), clinic)
    assert "Pedir una consulta" in text and "Qué esperar" in text
    assert "No coma nada durante las 6 horas antes de su infusión." in text
    assert "45 minutos" in text and "60 minutos y luego unos 45 minutos de descanso" in text
    assert "Lunes 08:00–18:00" in text  # opening hours: Babel's weekday names


def test_the_request_form_in_spanish(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    page = client.get(f"/{clinic.slug}/request?lang=es").get_data(as_text=True)
    text = assert_spanish(page, clinic)
    assert "Horarios preferidos" in text and "¿Está embarazada o podría estarlo?" in text
    # The days on offer, in Spanish (es_US: the clinic's region, the reader's language).
    tomorrow = format_date(days_ahead(clinic, 1), "full", locale="es_US")
    assert tomorrow in text and re.search(r"\(\d+ horarios\)", text)
    # The slot picker gets its words and its locale from the page.
    assert 'data-locale="es-US"' in page
    found = re.search(r'data-messages="([^"]+)"', page)
    assert found is not None
    words = json.loads(html.unescape(found.group(1)))
    assert words["loading"] == "Cargando horarios disponibles…"
    assert words["freeOnDay"] == ["{num} horario libre el {day}", "{num} horarios libres el {day}"]
    assert english_left(" ".join(str(w) for w in words.values())) == []


def test_the_form_with_errors_in_spanish(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    data = form_data(clinic, full_name="R", email="not-an-email", date_of_birth="2999-01-01",
                     consent_privacy=None, preferred_times=[], concern="other")
    response = client.post(f"/{clinic.slug}/request?lang=es", data=data)
    assert response.status_code == 422
    text = assert_spanish(response.get_data(as_text=True), clinic)
    assert text.startswith("Error: Pedir una consulta")
    assert "Revise estas 6 respuestas" in text
    for message in (
        "Su nombre debe tener entre 2 y 120 caracteres.",
        "Escriba un correo electrónico como nombre@ejemplo.com.",
        "Su fecha de nacimiento no puede ser en el futuro.",
        "Cuéntenos brevemente en qué le gustaría recibir ayuda.",
        "Elija al menos un horario, o marque “Llámenme”.",
        "Para enviar una solicitud, debe aceptar el aviso de privacidad.",
    ):
        assert message in text


def test_a_time_no_longer_free_in_spanish(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    night = local(clinic, days_ahead(clinic, 1), 3)  # the clinic is closed at 03:00
    response = client.post(f"/{clinic.slug}/request?lang=es", data=form_data(clinic, preferred_times=[night.isoformat()]))
    assert response.status_code == 409
    day = format_date(days_ahead(clinic, 1), "full", locale="es_US")
    text = assert_spanish(response.get_data(as_text=True), clinic)
    assert f"Lo sentimos, este horario ya no está disponible ({day}, 3:00 a.m.). Elija otro." in text


def test_the_received_page_in_spanish(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    response = client.post(f"/{clinic.slug}/request?lang=es", data=form_data(clinic))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/request/received?lang=es")
    text = assert_spanish(client.get(response.headers["Location"]).get_data(as_text=True), clinic)
    assert "Solicitud recibida" in text and "Gracias, Robin." in text
    assert format_date(days_ahead(clinic, 1), "full", locale="es_US") + ", 8:00 a.m." in text
    assert "por teléfono o por correo electrónico" in text


def test_error_pages_in_spanish(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    missing = client.get("/no-such-clinic/?lang=es")
    assert missing.status_code == 404
    assert "No encontramos la página" in assert_spanish(missing.get_data(as_text=True))
    unreadable = client.get(f"/{clinic.slug}/?lang=es&q=%FF")
    assert unreadable.status_code == 400
    assert "No pudimos leer parte de lo que envió" in assert_spanish(unreadable.get_data(as_text=True))
    # The API's messages stay English, whatever the browser reads.
    api = client.get(f"/api/v1/clinics/{clinic.slug}/availability?lang=es&x=%00",
                     headers={"Accept-Language": "es"})
    assert api.status_code == 400 and "could not be read" in api.get_json()["error"]["message"]


def test_a_request_made_in_spanish_keeps_its_language_and_its_patient_takes_it(
    client: FlaskClient, make_clinic: Any
) -> None:
    clinic: Clinic = make_clinic()
    # The browser asks for Spanish: no ?lang= needed.
    response = client.post(f"/{clinic.slug}/request", data=form_data(clinic), headers={"Accept-Language": "es-MX"})
    assert response.status_code == 303
    request = stored_request(clinic)
    assert request.language is Language.ES
    start = request.preferred_times[0].starts_at
    appointment = schedule_request(clinic, request, start, booker=Booker.STAFF, actor_id=None, now=utcnow())
    db.session.commit()
    patient = db.session.get(Patient, appointment.patient_id)
    assert patient is not None and patient.language is Language.ES


def test_an_english_request_stays_english(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    client.post(f"/{clinic.slug}/request", data=form_data(clinic), headers={"Accept-Language": "en-US,es;q=0.5"})
    assert stored_request(clinic).language is Language.EN


def test_an_instant_booking_gives_the_patient_the_forms_language(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic(instant_booking=True)
    response = client.post(f"/{clinic.slug}/request?lang=es", data=form_data(clinic))
    assert response.status_code == 303
    request = stored_request(clinic)
    assert request.status is RequestStatus.SCHEDULED and request.language is Language.ES
    patient = db.session.get(Patient, request.patient_id)
    assert patient is not None and patient.language is Language.ES
    text = assert_spanish(client.get(response.headers["Location"]).get_data(as_text=True), clinic)
    assert "Su consulta está reservada" in text


def test_the_language_survives_the_forms_post_without_cookies(app: Flask, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    client = app.test_client(use_cookies=False)
    page = client.get(f"/{clinic.slug}/request?lang=es").get_data(as_text=True)
    assert f'action="/{clinic.slug}/request?lang=es"' in page
    # No cookie comes back: the form's address carries the language.
    again = client.post(f"/{clinic.slug}/request?lang=es", data=form_data(clinic, full_name=""))
    assert again.status_code == 422 and "Escriba su nombre completo." in assert_spanish(again.get_data(as_text=True))
    client.post(f"/{clinic.slug}/request?lang=es", data=form_data(clinic))
    assert stored_request(clinic).language is Language.ES


def test_the_dashboard_stays_english_for_a_spanish_browser(app: Flask, make_clinic: Any, make_staff: Any) -> None:
    clinic: Clinic = make_clinic()
    user = make_staff(clinic, role=Role.FRONT_DESK)
    client = app.test_client()
    spanish = {"Accept-Language": "es-MX,es;q=0.9"}
    login_page = client.get("/staff/login?lang=es", headers=spanish).get_data(as_text=True)
    assert page_language(login_page) == "en"
    assert login(client, user.email).status_code == 303
    for path in ("/dashboard/", "/dashboard/week", "/dashboard/requests/"):
        response = client.get(f"{path}?lang=es", headers=spanish)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert page_language(page) == "en", path
        assert not re.search(r"\b(lunes|martes|miércoles|jueves|viernes|sábado|domingo)\b", page), path


def test_wtforms_own_messages_come_in_spanish_too(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    response = client.post(f"/{clinic.slug}/request?lang=es", data=form_data(clinic, medications="x" * 2001))
    assert response.status_code == 422
    assert "El campo no puede tener más de 2000 caracteres." in assert_spanish(response.get_data(as_text=True))
