"""SMS consent on the request form: its own box, unticked, stored with the disclosure's version; mobiles only."""
from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.domain.sms_consent import SMS_CONSENT_VERSION
from booking.extensions import db
from booking.models import Clinic, ConsultationRequest, SmsConsent
from tests.support.request_form import form_data


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Clinic")


def test_box_is_unticked_with_the_disclosure(client: FlaskClient, clinic: Clinic) -> None:
    page = client.get(f"/{clinic.slug}/request").get_data(as_text=True)
    box = page[page.index('name="consent_sms"') - 80:page.index('name="consent_sms"') + 80]
    assert "checked" not in box
    assert "Lakeside Clinic will text this number about your visits" in page
    assert "Message and data rates may apply. Reply STOP to stop, HELP for help." in page


def test_no_box_no_consent(client: FlaskClient, clinic: Clinic) -> None:
    assert client.post(f"/{clinic.slug}/request", data=form_data(clinic)).status_code in (200, 303)
    assert db.session.scalars(select(ConsultationRequest)).all()
    assert db.session.scalars(select(SmsConsent)).all() == []


def test_consent_is_stored_with_version_time_and_number(client: FlaskClient, clinic: Clinic) -> None:
    answer = client.post(f"/{clinic.slug}/request", data=form_data(clinic, consent_sms="y"))
    assert answer.status_code in (200, 303)
    [consent] = db.session.scalars(select(SmsConsent))
    [request] = db.session.scalars(select(ConsultationRequest))
    assert consent.phone == "+13125550177" and consent.text_version == SMS_CONSENT_VERSION
    assert consent.source == "request_form" and consent.request_id == request.id and consent.consented_at


@pytest.mark.parametrize("phone", ["+44 20 7946 0018", "(800) 555-0199"])  # a London landline, a toll-free number
def test_a_number_that_cannot_take_texts_is_refused_with_answers_kept(
    client: FlaskClient, clinic: Clinic, phone: str
) -> None:
    answer = client.post(f"/{clinic.slug}/request", data=form_data(clinic, consent_sms="y", phone=phone))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 or "This number cannot receive texts" in page
    assert "This number cannot receive texts. Give a mobile number, or leave texts unticked." in page
    assert "Robin Testpatient" in page
    assert db.session.scalars(select(SmsConsent)).all() == []
    # Without the box, the same number is fine for calls.
    assert client.post(f"/{clinic.slug}/request", data=form_data(clinic, phone=phone)).status_code in (200, 303)
