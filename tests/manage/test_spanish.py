"""The patient's page in the patient's language: Spanish by default for a Spanish patient, `?lang=` wins."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient

from booking.extensions import db
from booking.models import Appointment, AppointmentStatus, Clinic, Language, Patient, utcnow
from booking.operations.patient_actions import cancel
from tests.support.clinic_time import days_ahead, local
from tests.support.manage import link_for
from tests.support.spanish import english_left, page_language, visible_text


@pytest.fixture
def spanish(appt: Appointment) -> Appointment:
    """The appointment of a patient who reads Spanish."""
    patient = db.session.get(Patient, appt.patient_id)
    assert patient is not None
    patient.language = Language.ES
    db.session.commit()
    return appt


def assert_spanish(page: str, clinic: Clinic) -> str:
    assert page_language(page) == "es"
    assert english_left(page, (clinic.name, clinic.address)) == []
    text = visible_text(page)
    assert "m.." not in text  # "a.m." ends a sentence without a second period
    return text


def test_a_spanish_patients_page_opens_in_spanish(
    client: FlaskClient, clinic: Clinic, spanish: Appointment, url: str
) -> None:
    # No ?lang=, no cookie, and a browser that prefers English: the patient's language wins.
    page = client.get(url, headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    text = assert_spanish(page, clinic)
    day = format_date(days_ahead(clinic, 3), "full", locale="es_US")  # e.g. "martes, 3 de marzo de 2026"
    assert f"{day}, de 10:00 a.m. a 11:00 a.m." in text
    assert f"Hora límite para comer: 4:00 a.m. del {day}. Hora límite para líquidos claros: 8:00 a.m. del mismo día." in text
    assert "Hola, Robin. Esta es su cita en Lakeside Infusions." in text
    assert "Por favor, confirme que vendrá." in text
    assert "Hora aproximada para recogerle: 11:45 a.m." in text
    assert "Nombre del conductor o acompañante" in text


def test_the_cancel_and_reschedule_pages_in_spanish(
    client: FlaskClient, clinic: Clinic, spanish: Appointment, url: str
) -> None:
    cancel_page = assert_spanish(client.get(f"{url}/cancel").get_data(as_text=True), clinic)
    assert "¿Cancelar su cita?" in cancel_page and "Sí, cancelar mi cita" in cancel_page
    move = assert_spanish(client.get(f"{url}/reschedule").get_data(as_text=True), clinic)
    assert "Pedir otro horario" in move and "Hasta tres (hora de Chicago)." in move
    assert format_date(days_ahead(clinic, 1), "full", locale="es_US") in move
    # Sent with nothing chosen: the error in Spanish.
    refused = client.post(f"{url}/reschedule", data={"csrf_token": ""})
    assert refused.status_code == 422
    text = assert_spanish(refused.get_data(as_text=True), clinic)
    assert text.startswith("Error: Pedir otro horario") and "Elija al menos un horario." in text


def test_an_action_answers_in_spanish(client: FlaskClient, clinic: Clinic, spanish: Appointment, url: str) -> None:
    response = client.post(f"{url}/confirm")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gracias: su cita está confirmada." in assert_spanish(page, clinic)


def test_a_refusal_in_spanish(client: FlaskClient, clinic: Clinic, spanish: Appointment, url: str) -> None:
    cancel(clinic, spanish, utcnow())
    db.session.commit()
    assert spanish.status is AppointmentStatus.CANCELLED
    text = assert_spanish(client.get(f"{url}/cancel").get_data(as_text=True), clinic)
    assert "Esta cita está cancelada, así que ya no se puede cambiar aquí. Llame a Lakeside Infusions al" in text
    assert "Quítela de su calendario" in text


def test_the_readers_choice_wins_over_the_patients_language(
    client: FlaskClient, clinic: Clinic, spanish: Appointment, url: str
) -> None:
    assert page_language(client.get(f"{url}?lang=en").get_data(as_text=True)) == "en"
    # The switcher's cookie keeps English on the next pages.
    assert page_language(client.get(f"{url}/cancel").get_data(as_text=True)) == "en"


def test_an_english_patients_page_stays_english_until_they_switch(
    client: FlaskClient, appt: Appointment, url: str
) -> None:
    # The patient's record says English: a Spanish browser does not change that, the switcher does.
    assert page_language(client.get(url, headers={"Accept-Language": "es"}).get_data(as_text=True)) == "en"
    assert page_language(client.get(f"{url}?lang=es").get_data(as_text=True)) == "es"


def test_a_post_keeps_the_asked_language_without_cookies(
    app: Flask, clinic: Clinic, appt: Appointment, url: str
) -> None:
    client = app.test_client(use_cookies=False)
    page = client.get(f"{url}?lang=es").get_data(as_text=True)
    assert f'action="{url}/confirm?lang=es"' in page
    response = client.post(f"{url}/confirm?lang=es")
    assert response.headers["Location"].endswith(f"{url}?lang=es")


def test_a_bad_link_in_spanish(client: FlaskClient, make_clinic: Callable[..., Clinic]) -> None:
    response = client.get("/manage/not-a-real-token?lang=es")
    assert response.status_code == 404
    assert "Este enlace no es válido o ya venció." in visible_text(response.get_data(as_text=True))
    assert english_left(response.get_data(as_text=True)) == []


def test_a_new_link_for_a_spanish_patient(client: FlaskClient, clinic: Clinic, spanish: Appointment) -> None:
    # Every link opens in Spanish, not only the first one.
    assert page_language(client.get(link_for(spanish)).get_data(as_text=True)) == "es"


def test_moving_the_appointment_answers_in_spanish(
    client: FlaskClient, clinic: Clinic, spanish: Appointment, url: str
) -> None:
    clinic.patients_can_rebook = True
    db.session.commit()
    day = format_date(days_ahead(clinic, 5), "full", locale="es_US")
    closed = local(clinic, days_ahead(clinic, 5), 3)
    refused = client.post(f"{url}/reschedule", data={"times": closed.isoformat()})
    assert refused.status_code == 409
    text = assert_spanish(refused.get_data(as_text=True), clinic)
    assert f"Lo sentimos, este horario ya no está libre ({day}, 3:00 a.m.). Elija otro." in text
    assert "Horarios libres más cercanos:" in text
    moved = client.post(f"{url}/reschedule", data={"times": local(clinic, days_ahead(clinic, 5), 9).isoformat()})
    assert moved.status_code == 303
    page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert f"Su nueva cita: {day}, 9:00 a.m. (le enviamos" in assert_spanish(page, clinic)
