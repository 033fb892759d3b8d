"""The consultation request form: storage, flags, outbox, and every way to get it wrong."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from booking.domain.availability import local_instant
from booking.extensions import db
from booking.models import (
    Chair,
    ChairKind,
    Clinic,
    ConsultationRequest,
    MessageKind,
    OutboxMessage,
    PreferredTime,
    RequestStatus,
)
from tests.factories import service
from tests.support.clinic_time import days_ahead
from tests.support.request_form import form_data, free_times


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic()


def post(client: FlaskClient, clinic: Clinic, data: dict[str, Any]) -> Any:
    return client.post(f"/{clinic.slug}/request", data=data)


def test_form_page_listsfree_times(client: FlaskClient, clinic: Clinic) -> None:
    response = client.get(f"/{clinic.slug}/request")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'<label[^>]*for="full_name"', page)
    first = free_times(clinic)[0]
    assert f'value="{first}"' in page
    assert 'name="website"' in page  # the honeypot is there


def test_form_stops_offering_a_time_once_it_is_booked(
    client: FlaskClient, clinic: Clinic, make_appointment: Any
) -> None:
    first = free_times(clinic)[0]
    assert f'value="{first}"' in client.get(f"/{clinic.slug}/request").get_data(as_text=True)
    assert f'value="{first}"' in client.get(f"/{clinic.slug}/request").get_data(as_text=True)  # cached
    room = db.session.scalar(select(Chair).filter_by(clinic_id=clinic.id, kind=ChairKind.CONSULT))
    make_appointment(clinic, service(clinic, "consult"), room, datetime.fromisoformat(first))
    assert f'value="{first}"' not in client.get(f"/{clinic.slug}/request").get_data(as_text=True)


def test_valid_request_is_stored_with_one_outbox_row(client: FlaskClient, clinic: Clinic) -> None:
    data = form_data(clinic)
    response = post(client, clinic, data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/{clinic.slug}/request/received")

    stored = db.session.scalars(select(ConsultationRequest)).one()
    assert stored.clinic_id == clinic.id
    assert stored.status is RequestStatus.NEW
    assert stored.needs_clinician_review is False
    assert stored.review_reasons == []
    assert stored.phone == "+13125550177"
    assert [p.starts_at for p in stored.preferred_times] == [
        datetime.fromisoformat(t) for t in data["preferred_times"]
    ]
    outbox = db.session.scalars(select(OutboxMessage)).one()
    assert outbox.kind is MessageKind.REQUEST_RECEIVED
    assert "robin@example.com" in outbox.recipient
    assert outbox.clinic_id == clinic.id

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Request received" in page
    assert "Arrange a driver." in page  # the clinic's pre-visit instructions
    local = datetime.fromisoformat(data["preferred_times"][0])
    assert local.strftime("%I:%M %p").lstrip("0") in page


@pytest.mark.parametrize("question", ["heart_condition", "substance_misuse", "psychosis_or_mania", "pregnancy"])
@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_positive_screening_flags_but_keeps_request(
    client: FlaskClient, clinic: Clinic, question: str, answer: str
) -> None:
    response = post(client, clinic, form_data(clinic, **{question: answer}))
    assert response.status_code == 303
    stored = db.session.scalars(select(ConsultationRequest)).one()
    assert stored.needs_clinician_review is True
    assert stored.status is RequestStatus.NEEDS_REVIEW
    assert stored.review_reasons == [question]
    assert _count(OutboxMessage) == 1


def test_minor_is_flagged_for_review(client: FlaskClient, clinic: Clinic) -> None:
    dob = date.today().replace(year=date.today().year - 16, day=1)
    assert post(client, clinic, form_data(clinic, date_of_birth=dob.isoformat())).status_code == 303
    assert db.session.scalars(select(ConsultationRequest)).one().review_reasons == ["under_18"]


def test_call_me_without_times(client: FlaskClient, clinic: Clinic) -> None:
    response = post(client, clinic, form_data(clinic, preferred_times=[], call_me="y"))
    assert response.status_code == 303
    stored = db.session.scalars(select(ConsultationRequest)).one()
    assert stored.call_me is True and stored.preferred_times == []


def test_no_email_consent_queues_no_email(client: FlaskClient, clinic: Clinic) -> None:
    data = form_data(clinic)
    del data["consent_email"]
    assert post(client, clinic, data).status_code == 303
    assert _count(ConsultationRequest) == 1
    assert _count(OutboxMessage) == 0


INVALID_CASES = [
    ("full_name", "", "Enter your full name."),
    ("full_name", "Robin\x07Bell", "special or invisible characters"),
    ("full_name", "Robin \u202eevil", "special or invisible characters"),
    ("full_name", "R" * 121, "2 to 120 characters"),
    ("email", "robin-at-example", "Enter an email address like name@example.com."),
    ("email", "josé@example.com", "Enter an email address like name@example.com."),
    ("phone", "12", "phone number"),
    ("phone", "(312) 555-01", "phone number"),
    ("date_of_birth", "", "Enter your date of birth"),
    ("date_of_birth", "2020-13-45", "as a full date"),
    ("date_of_birth", (date.today() + timedelta(days=3)).isoformat(), "cannot be in the future"),
    ("date_of_birth", "1850-01-01", "check the year"),
    ("concern", None, "Choose what you would like help with."),
    ("concern", "gout", "Not a valid choice"),
    ("concern", "other", "Tell us briefly"),
    ("heart_condition", None, "Please choose an answer."),
    ("pregnancy", "maybe", "Not a valid choice"),
    ("support_person", None, "Please choose an answer."),
    ("medications", "x" * 2001, "2000"),
    # (A NUL is refused before the form sees it: tests/test_input_guard.py.)
    ("medications", "sertraline\x1b", "special or invisible characters"),
    ("preferred_times", [], "Choose at least one time"),
    ("preferred_times", ["tomorrow at 9"], "not understood"),
    ("preferred_times", ["2026-12-01T09:00:00"], "not understood"),
    ("consent_privacy", None, "agree to the privacy notice"),
    ("consent_email", None, None),  # paired with consent_phone below
    ("service", "infusion", "Not a valid choice"),
]


# Where the message appears when it is not on the field itself.
ERROR_FIELD = {
    "Tell us briefly": "concern_details",
    "Choose at least one way we may contact you.": "consent_phone",
}


@pytest.mark.parametrize(("field", "value", "message"), INVALID_CASES)
def test_invalid_input_is_rejected_with_its_message(
    client: FlaskClient, clinic: Clinic, field: str, value: Any, message: str | None
) -> None:
    overrides = {field: value}
    if field == "consent_email":
        overrides["consent_phone"] = None
        message = "Choose at least one way we may contact you."
    data = form_data(clinic, **overrides)
    if value is None:
        data.pop(field, None)
    response = post(client, clinic, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page.replace("&#39;", "'")
    # The error is tied to its field for screen readers...
    assert f'id="{ERROR_FIELD.get(message, field)}-error"' in page
    # ...and what the patient typed is still there.
    assert 'value="Robin Testpatient"' in page or field == "full_name"
    assert 'value="robin@example.com"' in page or field == "email"
    assert _count(ConsultationRequest) == 0
    assert _count(PreferredTime) == 0
    assert _count(OutboxMessage) == 0


def test_more_than_three_times_is_refused(client: FlaskClient, clinic: Clinic) -> None:
    response = post(client, clinic, form_data(clinic, preferred_times=free_times(clinic, 4)))
    assert response.status_code == 422
    assert "Choose at most 3 times." in response.get_data(as_text=True)
    assert _count(ConsultationRequest) == 0


def test_time_taken_since_page_load_is_refused(
    client: FlaskClient, clinic: Clinic, make_appointment: Any
) -> None:
    times = free_times(clinic, 6)
    chosen = [times[0], times[5]]  # far enough apart that one booking takes only the first
    room = db.session.scalar(select(Chair).filter_by(clinic_id=clinic.id, kind=ChairKind.CONSULT))
    make_appointment(clinic, service(clinic, "consult"), room, datetime.fromisoformat(chosen[0]))

    response = post(client, clinic, form_data(clinic, preferred_times=chosen))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "no longer available" in page
    # The other, still free, choice stays ticked.
    assert re.search(rf'value="{re.escape(chosen[1])}"\s+checked', page)
    assert _count(ConsultationRequest) == 0
    assert _count(OutboxMessage) == 0


def test_time_outside_opening_hours_is_refused(client: FlaskClient, clinic: Clinic) -> None:
    night = local_instant(days_ahead(clinic, 1), time(3, 0), ZoneInfo(clinic.timezone))
    assert night is not None
    response = post(client, clinic, form_data(clinic, preferred_times=[night.isoformat()]))
    assert response.status_code == 409
    assert "no longer available" in response.get_data(as_text=True)
    assert _count(ConsultationRequest) == 0


def test_honeypot_looks_successful_but_stores_nothing(client: FlaskClient, clinic: Clinic) -> None:
    response = post(client, clinic, form_data(clinic, website="http://spam.example"))
    assert response.status_code == 303
    assert _count(ConsultationRequest) == 0
    assert _count(OutboxMessage) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Request received" in page


def test_oversized_body_gets_a_friendly_413(client: FlaskClient, clinic: Clinic) -> None:
    response = post(client, clinic, form_data(clinic, medications="x" * 70_000))
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)
    assert _count(ConsultationRequest) == 0


def test_unknown_clinic_is_404(client: FlaskClient, clinic: Clinic) -> None:
    assert client.get("/no-such-clinic/request").status_code == 404
    assert client.post("/no-such-clinic/request", data={}).status_code == 404
    assert client.get("/no-such-clinic/").status_code == 404


def test_received_page_does_not_show_another_clinics_request(
    client: FlaskClient, make_clinic: Any
) -> None:
    first, second = make_clinic(), make_clinic()
    assert post(client, first, form_data(first)).status_code == 303
    page = client.get(f"/{second.slug}/request/received").get_data(as_text=True)
    assert "Robin" not in page


def test_security_headers(client: FlaskClient, clinic: Clinic) -> None:
    response = client.get(f"/{clinic.slug}/request")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


class TestCsrf:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_missing_token_keeps_answers_and_asks_to_resubmit(
        self, client: FlaskClient, clinic: Clinic
    ) -> None:
        response = post(client, clinic, form_data(clinic, medications="lithium 300mg"))
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "press “Send request” again" in page
        assert 'value="Robin Testpatient"' in page
        assert "lithium 300mg" in page
        assert _count(ConsultationRequest) == 0

    def test_valid_token_is_accepted(self, client: FlaskClient, clinic: Clinic) -> None:
        page = client.get(f"/{clinic.slug}/request").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        response = post(client, clinic, form_data(clinic, csrf_token=token.group(1)))
        assert response.status_code == 303
        assert _count(ConsultationRequest) == 1

    def test_stale_token_from_another_session_is_refused(
        self, app: Flask, client: FlaskClient, clinic: Clinic
    ) -> None:
        other = app.test_client()
        page = other.get(f"/{clinic.slug}/request").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        response = post(client, clinic, form_data(clinic, csrf_token=token.group(1)))
        assert response.status_code == 400
        assert _count(ConsultationRequest) == 0
