"""HEAD on the patient's pages answers exactly like GET, without a body, and changes nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from booking.extensions import db
from booking.models import Appointment, AppointmentStatus, utcnow
from tests.support.manage import snapshot

PAGES = ["", "/confirm", "/driver", "/cancel", "/reschedule", "/calendar.ics", "?confirm=1"]


def _same_answer(head: TestResponse, get: TestResponse) -> None:
    assert head.status_code == get.status_code
    assert head.get_data() == b""
    for header in ("Location", "Content-Type", "Cache-Control", "Referrer-Policy"):
        assert head.headers.get(header) == get.headers.get(header), header


@pytest.mark.parametrize("suffix", PAGES)
def test_head_is_get_without_a_body(client: FlaskClient, appt: Appointment, url: str, suffix: str) -> None:
    before = snapshot()
    head = client.head(url + suffix)
    assert snapshot() == before
    get = client.get(url + suffix)
    assert get.status_code in (200, 303)
    _same_answer(head, get)
    assert snapshot() == before
    assert appt.status is AppointmentStatus.BOOKED


@pytest.mark.parametrize("suffix", PAGES)
@pytest.mark.parametrize("state", ["cancelled", "started"])
def test_head_on_an_appointment_that_cannot_change(
    client: FlaskClient, appt: Appointment, url: str, suffix: str, state: str
) -> None:
    # The pages then explain why nothing can be done: still no change, still like GET.
    if state == "cancelled":
        appt.status = AppointmentStatus.CANCELLED
    else:
        appt.starts_at = utcnow() - timedelta(minutes=5)
        appt.ends_at = appt.starts_at + timedelta(minutes=60)
        appt.blocked_until = appt.ends_at + timedelta(minutes=45)
    db.session.commit()
    before = snapshot()
    head = client.head(url + suffix)
    assert snapshot() == before
    _same_answer(head, client.get(url + suffix))
    assert snapshot() == before


@pytest.mark.parametrize("suffix", ["", "/reschedule", "/driver"])
def test_head_with_a_bad_link_is_the_same_404(client: FlaskClient, appt: Appointment, suffix: str) -> None:
    before = snapshot()
    head = client.head("/manage/not-a-real-token" + suffix)
    assert head.status_code == 404
    _same_answer(head, client.get("/manage/not-a-real-token" + suffix))
    assert snapshot() == before
