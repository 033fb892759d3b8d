"""HEAD answers like GET, without a body and changing nothing, on the pages anyone can open.

That is the public pages, the request form, the sign-in page and where an expired
staff session sends you.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Base, Clinic, StaffUser
from tests.support.request_form import form_data
from tests.support.sign_in import login


def row_counts() -> dict[str, int]:
    """Rows in every table."""
    db.session.expire_all()
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic()


@pytest.mark.parametrize(
    "path",
    ["/", "/{slug}/", "/{slug}/request", "/{slug}/request/received", "/staff/login",
     "/api/v1/clinics/{slug}/availability?service=consult", "/no-such-clinic/request"],
)
def test_head_is_get_without_a_body(client: FlaskClient, clinic: Clinic, path: str) -> None:
    # After a real request, so the received page has something to show.
    assert client.post(f"/{clinic.slug}/request", data=form_data(clinic)).status_code == 303
    path = path.format(slug=clinic.slug)
    before = row_counts()
    head = client.head(path)
    assert row_counts() == before
    get = client.get(path)
    assert head.status_code == get.status_code
    assert head.get_data() == b""
    assert head.headers.get("Content-Type") == get.headers.get("Content-Type")
    assert row_counts() == before


def test_head_on_the_sign_in_page_when_signed_in(app: Flask, clinic: Clinic, make_staff: Any) -> None:
    client = app.test_client()
    assert login(client, make_staff(clinic).email).status_code == 303
    head, get = client.head("/staff/login"), client.get("/staff/login")
    assert head.status_code == get.status_code == 302
    assert head.headers["Location"] == get.headers["Location"]


def test_an_expired_staff_session_sends_head_back_like_get(app: Flask, clinic: Clinic, make_staff: Any) -> None:
    app.config["IDLE_TIMEOUT_MINUTES"] = 30
    user: StaffUser = make_staff(clinic)
    answers = {}
    for method in ("GET", "HEAD"):
        client = app.test_client()
        with time_machine.travel(0, tick=False) as traveller:
            traveller.move_to("2030-01-01 09:00:00Z")
            login(client, user.email)
            traveller.shift(timedelta(minutes=31))
            answers[method] = client.open("/dashboard/week", method=method)
    assert answers["HEAD"].status_code == answers["GET"].status_code == 302
    # Signed in again, you land where you were going.
    assert answers["GET"].headers["Location"] == "/staff/login?next=/dashboard/week?"
    assert answers["HEAD"].headers["Location"] == answers["GET"].headers["Location"]
