"""The patient's appointment page: what it shows, what GET never does, and who gets a 404."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from booking.extensions import db
from booking.models import Appointment, AppointmentStatus, Clinic, ManageToken, utcnow
from booking.templating import format_day
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.manage import CANARY_MEDICATION, link_for, snapshot

INVALID = "This link is not valid or has expired. Call the clinic."


def test_page_shows_the_appointment_and_how_to_prepare(
    client: FlaskClient, clinic: Clinic, appt: Appointment, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    day = format_day(days_ahead(clinic, 3))
    assert "Infusion for chronic pain" in page  # the real name: the page is behind the link
    assert f"{day}, 10:00 AM to 11:00 AM" in page
    assert clinic.address in page
    # Fasting 6 hours, clear liquids until 2 hours before a 10:00 start.
    assert f"No food after 4:00 AM on {day}; clear liquids until 8:00 AM." in page
    assert CANARY_MEDICATION in page  # the medication review
    assert "Driver required." in page
    assert "11:45 AM" in page  # pickup: end of the infusion plus 45 minutes of recovery
    assert "Please confirm you are coming" in page
    assert f'action="{url}/confirm"' in page
    assert f'href="{url}/cancel"' in page
    assert f'href="{url}/reschedule"' in page
    assert f'href="{url}/calendar.ics"' in page
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_dates_follow_the_clinic_locale(client: FlaskClient, clinic: Clinic, appt: Appointment, url: str) -> None:
    clinic.locale = "en_GB"
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert f"No food after 04:00 on {format_day(days_ahead(clinic, 3), locale='en_GB')}" in page


@pytest.mark.parametrize(
    "suffix", ["", "/confirm", "/driver", "/cancel", "/reschedule", "/calendar.ics", "?confirm=1"]
)
def test_get_never_changes_anything(client: FlaskClient, appt: Appointment, url: str, suffix: str) -> None:
    before = snapshot()
    response = client.get(url + suffix)
    assert response.status_code in (200, 303)
    assert response.headers["Cache-Control"] == "no-store"
    assert snapshot() == before
    assert appt.status is AppointmentStatus.BOOKED


def test_unknown_and_expired_links_get_the_same_404(
    client: FlaskClient, clinic: Clinic, make_appointment: Any
) -> None:
    over = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[1],
                            local(clinic, days_ahead(clinic, -5), 10))
    expired = link_for(over)  # valid until a day after the visit: long gone
    live = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[1],
                            local(clinic, days_ahead(clinic, 5), 10))
    revoked = link_for(live)
    db.session.query(ManageToken).filter_by(appointment_id=live.id).update(
        {"expires_at": utcnow() - timedelta(minutes=1)}
    )
    db.session.commit()
    bodies = set()
    for path in ("/manage/not-a-real-token", expired, revoked, "/manage/" + "x" * 150,
                 expired + "/cancel", revoked + "/calendar.ics"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["Cache-Control"] == "no-store"
        bodies.add(response.get_data(as_text=True))
    assert len(bodies) == 1
    assert INVALID in bodies.pop()


def test_a_post_with_a_bad_link_changes_nothing(client: FlaskClient, appt: Appointment) -> None:
    before = snapshot()
    response = client.post("/manage/not-a-real-token/cancel")
    assert response.status_code == 404
    assert INVALID in response.get_data(as_text=True)
    assert snapshot() == before


def test_cancelled_appointment_offers_no_actions(client: FlaskClient, appt: Appointment, url: str) -> None:
    appt.status = AppointmentStatus.CANCELLED
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Cancelled" in page
    assert f"{url}/cancel" not in page
    assert f"{url}/confirm" not in page
    assert f"{url}/reschedule" not in page
    assert f"{url}/driver" not in page
    assert f"{url}/calendar.ics" in page  # a file that removes it from the calendar


def test_past_appointment_offers_no_actions(
    client: FlaskClient, clinic: Clinic, make_appointment: Any
) -> None:
    started = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[1],
                               utcnow().replace(microsecond=0) - timedelta(minutes=30))
    url = link_for(started)
    page = client.get(url).get_data(as_text=True)
    assert "This appointment has passed" in page
    for action in ("/cancel", "/confirm", "/reschedule", "/driver"):
        assert f"{url}{action}" not in page


class TestRateLimit:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"MANAGE_RATE_LIMIT": "3 per minute"}

    def test_too_many_requests_from_one_address_get_429(self, client: FlaskClient, url: str) -> None:
        statuses = [client.get(path).status_code for path in (url, url, "/manage/guess")]
        assert statuses == [200, 200, 404]
        response = client.get(url)
        assert response.status_code == 429
        assert response.headers["Cache-Control"] == "no-store"
        assert client.get("/lakeside/").status_code == 200  # only /manage/ is limited


def test_a_ride_confirmed_by_phone_is_not_called_a_confirmed_driver_above_empty_fields(
    client: FlaskClient, clinic: Clinic, appt: Appointment, url: str
) -> None:
    from booking.operations.appointment_status import confirm_driver

    confirm_driver(clinic, appt, actor_id=None, now=utcnow(), confirmed_with="Jo Smith")
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Your driver is confirmed." not in page
    assert "The clinic confirmed your ride home by phone with Jo Smith." in page
