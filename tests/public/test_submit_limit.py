"""The per-address limit on sending the request form: what counts, and the page that says "wait".

Counted: a request taken in, and a post refused for its CSRF token. Not counted: a form shown
again to correct. Refused posts get the clinic's own page, with everything typed kept.
"""
from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Clinic, ConsultationRequest
from tests.support.request_form import form_data
from tests.support.spanish import english_left, visible_text

TYPED = {"full_name": "Robin Waitpatient", "email": "robin.wait@example.com", "medications": "lithium 300mg",
         "concern": "other", "concern_details": "Chronic pain after an accident"}


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(ConsultationRequest))


def post(client: FlaskClient, clinic: Clinic, data: dict[str, Any], **query: str) -> Any:
    return client.post(f"/{clinic.slug}/request", data=data, query_string=query)


def csrf_token(client: FlaskClient, clinic: Clinic) -> str:
    page = client.get(f"/{clinic.slug}/request").get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions")


class TestTwoSendsAMinute:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"REQUEST_FORM_RATE_LIMIT": "2 per minute"}

    def test_forms_shown_again_to_correct_do_not_count(self, client: FlaskClient, clinic: Clinic) -> None:
        for _ in range(6):
            assert post(client, clinic, form_data(clinic, full_name="")).status_code == 422
        assert post(client, clinic, form_data(clinic, email="robin@")).status_code == 422
        # Two sends are still left.
        assert post(client, clinic, form_data(clinic)).status_code == 303
        assert post(client, clinic, form_data(clinic, email="second@example.com")).status_code == 303
        assert _count() == 2

    def test_a_time_taken_meanwhile_does_not_count(self, client: FlaskClient, clinic: Clinic) -> None:
        gone = "2000-01-01T09:00:00-06:00"  # not on offer: refused with the form shown again
        for _ in range(3):
            assert post(client, clinic, form_data(clinic, preferred_times=[gone])).status_code in (409, 422)
        assert post(client, clinic, form_data(clinic)).status_code == 303

    def test_sends_taken_in_count_and_the_next_is_refused(self, client: FlaskClient, clinic: Clinic) -> None:
        assert post(client, clinic, form_data(clinic)).status_code == 303
        assert post(client, clinic, form_data(clinic, website="http://spam.example")).status_code == 303  # a bot
        response = post(client, clinic, form_data(clinic, **TYPED))
        assert response.status_code == 429
        assert 1 <= int(response.headers["Retry-After"]) <= 60
        assert "X-RateLimit-Limit" not in response.headers  # headers off: two storage round trips saved
        assert _count() == 1
        # Once refused, a form to correct is refused too: the limit is checked before anything.
        assert post(client, clinic, form_data(clinic, full_name="")).status_code == 429
        # Reading the form is not limited.
        assert client.get(f"/{clinic.slug}/request").status_code == 200

    def test_the_wait_page_is_the_clinics_form_with_everything_typed(
        self, client: FlaskClient, clinic: Clinic
    ) -> None:
        for _ in range(2):
            post(client, clinic, form_data(clinic))
        chosen = form_data(clinic)["preferred_times"]
        response = post(client, clinic, form_data(clinic, **TYPED))
        assert response.status_code == 429
        page = response.get_data(as_text=True)
        text = visible_text(page)
        assert "Lakeside Infusions" in text
        assert re.search(r"<title>Please wait: Request a consultation · Lakeside Infusions</title>", page)
        assert "Please wait a moment before sending again" in text
        assert "nothing you typed is lost" in text
        assert "Please press “Send request” again in a minute." in text
        assert "Or call us at +1 312-555-0100 and Lakeside Infusions will take your request by phone." in text
        assert 'href="tel:+1312-555-0100"' in page
        # Everything typed, as typed, in the form to send again.
        for name in ("full_name", "email"):
            assert f'value="{html.escape(TYPED[name])}"' in page, name
        assert TYPED["medications"] in page and TYPED["concern_details"] in page
        assert re.search(r'<input[^>]*checked[^>]*value="other"|<input[^>]*value="other"[^>]*checked', page)
        for value in chosen:
            assert re.search(rf'value="{re.escape(value)}" checked', page), value
        assert '<button class="button" type="submit">Send request</button>' in page
        assert 'class="error-summary"' not in page  # no errors: the answers were not the problem

    def test_the_wait_page_in_spanish(self, client: FlaskClient, clinic: Clinic) -> None:
        for _ in range(2):
            post(client, clinic, form_data(clinic), lang="es")
        response = post(client, clinic, form_data(clinic, **TYPED), lang="es")
        assert response.status_code == 429
        page = response.get_data(as_text=True)
        text = visible_text(page)
        assert '<html lang="es">' in page
        assert "Espere un momento antes de enviarla de nuevo" in text
        assert "Vuelva a presionar “Enviar solicitud” en un minuto." in text
        assert "O llámenos al +1 312-555-0100 y Lakeside Infusions tomará su solicitud por teléfono." in text
        assert f'value="{TYPED["full_name"]}"' in page
        assert english_left(page, allowed=("Lakeside Infusions", TYPED["concern_details"], TYPED["medications"])) == []


class TestMinutesToWait:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"REQUEST_FORM_RATE_LIMIT": "1 per hour"}

    def test_the_page_says_how_many_minutes(self, client: FlaskClient, clinic: Clinic) -> None:
        assert post(client, clinic, form_data(clinic)).status_code == 303
        response = post(client, clinic, form_data(clinic))
        assert response.status_code == 429
        seconds = int(response.headers["Retry-After"])
        assert 3500 < seconds <= 3600
        minutes = -(-seconds // 60)
        assert f"Please press “Send request” again in {minutes} minutes." in visible_text(response.get_data(as_text=True))


class TestCsrfFailuresCount:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True, "REQUEST_FORM_RATE_LIMIT": "3 per minute"}

    def test_posts_refused_for_their_token_use_up_the_limit(self, client: FlaskClient, clinic: Clinic) -> None:
        for token in (None, "expired", "forged"):
            refused = post(client, clinic, form_data(clinic, csrf_token=token))
            assert refused.status_code == 400
            assert "press “Send request” again" in refused.get_data(as_text=True)
        response = post(client, clinic, form_data(clinic, csrf_token=csrf_token(client, clinic), **TYPED))
        assert response.status_code == 429
        assert f'value="{TYPED["full_name"]}"' in response.get_data(as_text=True)
        assert _count() == 0

    def test_a_valid_token_is_taken_in_and_counts(self, client: FlaskClient, clinic: Clinic) -> None:
        token = csrf_token(client, clinic)
        for _ in range(2):
            assert post(client, clinic, form_data(clinic, csrf_token=token, full_name="")).status_code == 422
        for n in range(3):
            assert post(client, clinic, form_data(clinic, csrf_token=token, email=f"p{n}@example.com")).status_code == 303
        assert post(client, clinic, form_data(clinic, csrf_token=token)).status_code == 429
        assert _count() == 3


class TestAttemptCeiling:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"REQUEST_FORM_ATTEMPT_LIMIT": "4 per minute"}

    def test_even_forms_to_correct_stop_at_the_ceiling(self, client: FlaskClient, clinic: Clinic) -> None:
        for _ in range(4):
            assert post(client, clinic, form_data(clinic, full_name="")).status_code == 422
        assert post(client, clinic, form_data(clinic)).status_code == 429
        assert _count() == 0
