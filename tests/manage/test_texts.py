"""Texts on the patient's page: an unticked box with the disclosure; agreeing stores consent, unticking withdraws it."""
from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from booking.domain.sms_consent import SMS_CONSENT_VERSION
from booking.extensions import db
from booking.models import Appointment, Clinic, SmsConsent, SmsOptOut, utcnow
from booking.queries.sms import may_text
from tests.support.manage import snapshot


def box_of(page: str) -> str:
    """The consent checkbox's tag."""
    found = re.search(r'<input[^>]*name="consent_sms"[^>]*>', page)
    assert found is not None
    return found.group(0)


def test_box_starts_unticked_and_get_changes_nothing(client: FlaskClient, url: str, clinic: Clinic) -> None:
    before = snapshot()
    page = client.get(url).get_data(as_text=True)
    assert "checked" not in box_of(page) and "Reply STOP to stop, HELP for help." in page
    assert client.get(f"{url}/texts").status_code == 303
    assert snapshot() == before


def test_agree_then_withdraw(client: FlaskClient, url: str, clinic: Clinic, appt: Appointment) -> None:
    phone = appt.patient.phone
    db.session.add(SmsOptOut(clinic_id=clinic.id, phone=phone, opted_out_at=utcnow()))  # an earlier STOP
    db.session.commit()
    assert client.post(f"{url}/texts", data={"consent_sms": "y"}).status_code == 303
    [consent] = db.session.scalars(select(SmsConsent))
    assert consent.source == "patient_page" and consent.text_version == SMS_CONSENT_VERSION
    assert may_text(clinic.id, phone)
    assert "checked" in box_of(client.get(url).get_data(as_text=True))
    assert client.post(f"{url}/texts", data={}).status_code == 303
    db.session.expire_all()
    assert not may_text(clinic.id, phone) and consent.withdrawn_at is not None
