"""Every time button on a page has its own key: a double click books once, another button is another booking."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Appointment, Clinic, ConsultationRequest, RequestStatus
from tests.factories import service
from tests.support.clinic_time import days_ahead, local

BUTTON = re.compile(r'name="start" value="([^"]+)">\s*<input type="hidden" name="key" value="([^"]+)">')


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(chairs=1)


def buttons(page: str) -> dict[datetime, str]:
    """Start time -> key, for every time button on the page (a time shown twice keeps one key)."""
    found: dict[datetime, set[str]] = {}
    for start, key in BUTTON.findall(page):
        found.setdefault(datetime.fromisoformat(start), set()).add(key)
    assert all(len(keys) == 1 for keys in found.values()), found
    return {start: keys.pop() for start, keys in found.items()}


def appointments() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Appointment))


def test_each_time_button_on_the_request_page_has_its_own_key(
    clinic: Clinic, make_request: Any, signed_in: Any
) -> None:
    first, second = local(clinic, days_ahead(clinic, 2), 9), local(clinic, days_ahead(clinic, 2), 11)
    item = make_request(clinic, first, second)
    client = signed_in(clinic)
    keys = buttons(client.get(f"/dashboard/requests/{item.id}").get_data(as_text=True))
    assert {first, second} <= set(keys)
    assert len(keys) > 2 and len(set(keys.values())) == len(keys)

    # A double click on one button books once and answers both clicks with the appointment.
    url = f"/dashboard/requests/{item.id}/schedule"
    data = {"start": first.isoformat(), "key": keys[first]}
    one, two = client.post(url, data=data), client.post(url, data=data)
    assert one.status_code == two.status_code == 303
    assert one.headers["Location"] == two.headers["Location"]
    assert appointments() == 1

    # Another button from the same page view: the request is scheduled already, so nothing more is booked.
    other = client.post(url, data={"start": second.isoformat(), "key": keys[second]})
    assert other.status_code == 409
    assert "Not scheduled: this request is already scheduled" in other.get_data(as_text=True)
    assert appointments() == 1
    assert db.session.get(ConsultationRequest, item.id).status is RequestStatus.SCHEDULED


def test_a_key_sent_with_another_time_is_answered_as_a_conflict(
    clinic: Clinic, make_request: Any, make_patient: Any, signed_in: Any
) -> None:
    patient = make_patient(clinic)
    day = days_ahead(clinic, 3)
    client = signed_in(clinic)
    consult = service(clinic, "consult")
    keys = buttons(client.get(f"/dashboard/patients/{patient.id}?day={day}").get_data(as_text=True))
    nine, ten = local(clinic, day, 9), local(clinic, day, 10)
    assert keys[nine] != keys[ten]
    url = f"/dashboard/patients/{patient.id}/book"
    assert client.post(url, data={"start": nine.isoformat(), "key": keys[nine], "service_id": consult.id}).status_code == 303
    assert client.post(url, data={"start": nine.isoformat(), "key": keys[nine], "service_id": consult.id}).status_code == 303
    assert appointments() == 1
    # Another button on the same page is another booking for this patient.
    assert client.post(url, data={"start": ten.isoformat(), "key": keys[ten], "service_id": consult.id}).status_code == 303
    assert appointments() == 2
    # A key that already booked 9:00, sent with another time (an altered or stale form), books nothing.
    eleven = local(clinic, day, 11).isoformat()
    response = client.post(url, data={"start": eleven, "key": keys[nine], "service_id": consult.id})
    assert response.status_code == 409
    assert "already used for another booking" in response.get_data(as_text=True)
    assert appointments() == 2
