"""The check-in page: what it asks, errors per item with answers kept, supersession, closed visits, item 9."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    CheckIn,
    CheckinSettings,
    Clinic,
    Instrument,
    QuestionnaireResponse,
)
from tests.factories import service
from tests.support.checkin import CANARY_MEDS, ask, full_checkin, infusion_tomorrow
from tests.support.manage import actions, csrf_from, link_for, snapshot
from tests.support.spanish import english_left, page_language


@pytest.fixture
def visit(clinic: Clinic, make_appointment: Callable[..., Appointment]) -> Appointment:
    ask(service(clinic, "infusion"), Instrument.PHQ9, Instrument.GAD7)
    return infusion_tomorrow(clinic, make_appointment)


@pytest.fixture
def page(visit: Appointment) -> str:
    return link_for(visit) + "/checkin"


def checkins(appointment: Appointment) -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.scalars(select(CheckIn).filter_by(appointment_id=appointment.id).order_by(CheckIn.id)))


def test_page_asks_fasting_driver_medications_and_the_services_questionnaires(client: FlaskClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "No food after 4:00 AM" in html
    assert "I will follow the fasting plan above" in html
    assert "Driver&#39;s or support person&#39;s name" in html or "Driver's or support person's name" in html
    assert "Any change in your medications since your last visit?" in html
    assert "Little interest or pleasure in doing things" in html  # PHQ-9 item 1, as published
    assert "Feeling nervous, anxious, or on edge" in html  # GAD-7 item 1
    assert "Repeated, disturbing, and unwanted memories" not in html  # PCL-5: not asked by this service
    assert "They do not replace talking with your clinician" in html
    assert response.headers["Cache-Control"] == "no-store"


def test_get_changes_nothing(client: FlaskClient, page: str) -> None:
    before = snapshot()
    client.get(page)
    assert snapshot() == before


def test_incomplete_questionnaire_names_each_item_and_keeps_answers(
    client: FlaskClient, page: str, visit: Appointment
) -> None:
    data = full_checkin(medication_change="Started a new pill")
    del data["phq9_3"], data["phq9_9"], data["gad7_7"]
    data["phq9_4"] = "2"
    response = client.post(page, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please choose an answer for question 3." in html
    assert "Please choose an answer for question 9." in html
    assert "Please choose an answer for question 7." in html
    assert 'href="#phq9_3"' in html and 'href="#gad7_7"' in html  # the summary links each item
    assert 'id="phq9_4-2" name="phq9_4" required type="radio" value="2" checked' in html  # kept
    assert "Started a new pill" in html
    assert 'value="Sam Driver"' in html
    assert checkins(visit) == []


def test_fasting_plan_must_be_confirmed(client: FlaskClient, page: str, visit: Appointment) -> None:
    data = full_checkin()
    del data["fasting_confirmed"]
    response = client.post(page, data=data)
    assert response.status_code == 422
    assert "Please confirm you will follow the fasting plan" in response.get_data(as_text=True)
    assert checkins(visit) == []


def test_a_check_in_is_stored_with_instrument_version_answers_and_score(
    client: FlaskClient, page: str, visit: Appointment
) -> None:
    response = client.post(page, data=full_checkin())
    assert response.status_code == 303
    [checkin] = checkins(visit)
    assert checkin.is_current and checkin.fasting_confirmed and checkin.driver_confirmed
    assert not checkin.needs_clinician and not checkin.self_harm
    responses = db.session.scalars(select(QuestionnaireResponse).filter_by(checkin_id=checkin.id)
                                   .order_by(QuestionnaireResponse.instrument)).all()
    assert [(r.instrument, r.total, r.band, r.version) for r in responses] == [
        (Instrument.GAD7, 3, "minimal", "gad7-2006.1"), (Instrument.PHQ9, 5, "mild", "phq9-2001.1")]
    assert responses[1].answers == [1, 1, 0, 2, 0, 0, 1, 0, 0]
    db.session.refresh(visit)
    assert visit.driver_name == "Sam Driver" and visit.driver_confirmed_at is not None
    assert AuditAction.CHECKIN_SUBMITTED in actions(visit.id)
    page_after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you: you are checked in." in page_after
    assert "You checked in on" in page_after


def test_a_second_check_in_supersedes_the_first_which_is_kept(
    client: FlaskClient, page: str, visit: Appointment
) -> None:
    client.post(page, data=full_checkin(phq9=[0] * 9))
    client.post(page, data=full_checkin(phq9=[3, 3, 3, 3, 3, 0, 0, 0, 0]))
    first, second = checkins(visit)
    assert (first.is_current, first.superseded_by_id) == (False, second.id)
    assert (second.is_current, second.superseded_by_id) == (True, None)
    totals = dict(db.session.execute(
        select(QuestionnaireResponse.checkin_id, QuestionnaireResponse.total)
        .where(QuestionnaireResponse.instrument == Instrument.PHQ9)).all())
    assert totals == {first.id: 0, second.id: 15}


def test_medication_change_flags_the_visit_for_a_clinician(client: FlaskClient, page: str, visit: Appointment) -> None:
    client.post(page, data=full_checkin(medication_change=f"Stopped {CANARY_MEDS}"))
    [checkin] = checkins(visit)
    assert checkin.needs_clinician and not checkin.self_harm
    assert checkin.medication_change == f"Stopped {CANARY_MEDS}"


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_item_9_above_zero_shows_crisis_resources_at_once(
    client: FlaskClient, page: str, visit: Appointment, clinic: Clinic, item9: int
) -> None:
    response = client.post(page, data=full_checkin(phq9=[0] * 8 + [item9]), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "988 Suicide &amp; Crisis Lifeline" in html
    assert 'href="tel:988"' in html and 'href="tel:911"' in html
    assert clinic.phone in html
    assert html.index('id="crisis"') < html.index("<h1>")  # first thing on the page
    [checkin] = checkins(visit)
    assert checkin.self_harm and checkin.needs_clinician


def test_no_crisis_panel_when_item_9_is_zero(client: FlaskClient, page: str) -> None:
    html = client.post(page, data=full_checkin(), follow_redirects=True).get_data(as_text=True)
    assert 'id="crisis"' not in html


def test_cancelled_visit_gets_a_plain_page(client: FlaskClient, page: str, visit: Appointment) -> None:
    visit.status = AppointmentStatus.CANCELLED
    db.session.commit()
    html = client.get(page).get_data(as_text=True)
    assert "This visit is cancelled, so there is nothing to check in for." in html
    assert "<form" not in html.split("<main")[1]
    response = client.post(page, data=full_checkin())
    assert response.status_code == 409
    assert checkins(visit) == []


def test_past_visit_gets_a_plain_page(client: FlaskClient, page: str, visit: Appointment) -> None:
    visit.starts_at -= timedelta(days=1, hours=1)
    visit.ends_at -= timedelta(days=1, hours=1)
    visit.blocked_until -= timedelta(days=1, hours=1)
    db.session.commit()
    html = client.get(page).get_data(as_text=True)
    assert "This visit has started or is over, so check-in is closed." in html
    assert client.post(page, data=full_checkin()).status_code == 409
    assert checkins(visit) == []


def test_before_the_window_the_page_says_when_it_opens(client: FlaskClient, page: str, visit: Appointment,
                                                       clinic: Clinic) -> None:
    db.session.add(CheckinSettings(clinic_id=clinic.id, opens_hours_before=2))
    db.session.commit()
    html = client.get(page).get_data(as_text=True)
    assert "Check-in opens on" in html and "8:00 AM" in html  # two hours before 10:00
    assert client.post(page, data=full_checkin()).status_code == 409
    assert checkins(visit) == []


def test_spanish_page_uses_the_published_spanish_wording(client: FlaskClient, page: str, clinic: Clinic) -> None:
    ask(service(clinic, "infusion"), Instrument.PCL5, Instrument.PAIN)
    html = client.get(page + "?lang=es").get_data(as_text=True)
    assert page_language(html) == "es"
    assert "Poco interés o placer en hacer cosas" in html
    assert "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta" in html
    assert english_left(html, (clinic.name, clinic.address, service(clinic, "infusion").name)) == []
    refused = client.post(page + "?lang=es", data={"fasting_confirmed": "y"}).get_data(as_text=True)
    assert "Elija una respuesta para la pregunta 9." in refused
    assert english_left(refused, (clinic.name, clinic.address, service(clinic, "infusion").name)) == []
    done = client.post(page + "?lang=es", data=full_checkin(phq9=[0] * 8 + [1]) | {
        f"pcl5_{n}": "0" for n in range(1, 21)} | {"pain_1": "5", "pain_2": "4", "pain_3": "3"},
        follow_redirects=True).get_data(as_text=True)
    assert "988" in done and "Si está pensando en hacerse daño" in done
    assert english_left(done, (clinic.name, clinic.address, service(clinic, "infusion").name)) == []


def test_bad_link_gets_the_invalid_page(client: FlaskClient, visit: Appointment) -> None:
    assert client.get("/manage/not-a-token/checkin").status_code == 404


def test_the_appointment_page_links_to_check_in_while_it_is_open(client: FlaskClient, visit: Appointment,
                                                                  clinic: Clinic) -> None:
    url = link_for(visit)
    assert f'href="{url}/checkin"' in client.get(url).get_data(as_text=True)
    db.session.add(CheckinSettings(clinic_id=clinic.id, opens_hours_before=1))
    db.session.commit()
    assert f'href="{url}/checkin"' not in client.get(url).get_data(as_text=True)


class TestCsrf:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_a_post_without_the_token_is_refused_and_stores_nothing(
        self, client: FlaskClient, page: str, visit: Appointment
    ) -> None:
        client.get(page)
        response = client.post(page, data=full_checkin())
        assert response.status_code == 400
        assert checkins(visit) == []
        token = csrf_from(client, page)
        assert client.post(page, data=full_checkin(csrf_token=token)).status_code == 303
        assert len(checkins(visit)) == 1
