"""The availability caches are really used: a repeated question sends no availability queries.

Counted with SQLAlchemy's `before_cursor_execute` on the app's engine. A cached JSON answer
costs the calendar-version read (booking/queries/calendar_version.py) and nothing else;
a cached request form still loads the clinic and its services to draw the page. Any
change to the calendar bumps the version, and the next request computes afresh.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import booking.api.views
import booking.public.form_times
import booking.public.views
from booking.extensions import db
from booking.models import Chair, ChairKind, Clinic, Closure, utcnow
from booking.queries.calendar_version import clinic_version
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.sign_in import login
from tests.support.sql import SqlLog, recorded_sql

# What computing availability reads (booking/queries/availability.py).
AVAILABILITY_TABLES = ("opening_hours", "closure", "chair", "appointment")
VERSION_READ = "SELECT clinic.id, clinic.booking_counter FROM clinic WHERE clinic.slug = "


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """One instant for the views: cache entries are stamped with the minute, which must not roll over mid-test."""
    frozen = utcnow()
    for views in (booking.api.views, booking.public.views, booking.public.form_times):
        monkeypatch.setattr(views, "utcnow", lambda: frozen)
    return frozen


@pytest.fixture
def clinic(make_clinic: Callable[..., Clinic], now: datetime) -> Clinic:
    return make_clinic(chairs=1)


def ask(client: FlaskClient, path: str) -> tuple[Any, SqlLog]:
    """GET `path` as a fresh request would: nothing already loaded in the session."""
    db.session.expire_all()
    with recorded_sql(db.engine) as log:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, log


def computed(log: SqlLog) -> bool:
    """True if the request read the tables availability is computed from (chairs, hours, closures, appointments)."""
    return bool(log.touching(*AVAILABILITY_TABLES))


def api_path(clinic: Clinic, days: int = 7) -> str:
    return f"/api/v1/clinics/{clinic.slug}/availability?service=consult&days={days}"


def version(clinic: Clinic) -> int:
    found = clinic_version(clinic.slug)
    assert found is not None
    return found[1]


def test_a_repeated_api_question_costs_only_the_version_read(client: FlaskClient, clinic: Clinic) -> None:
    first, log = ask(client, api_path(clinic))
    assert computed(log)
    assert [s for s in log.statements if s.startswith(VERSION_READ)] == [log.statements[0]]

    second, log = ask(client, api_path(clinic))
    assert len(log.statements) == 1 and log.statements[0].startswith(VERSION_READ)
    assert second.get_data() == first.get_data()
    assert second.headers["Cache-Control"] == "no-store"


def test_another_question_is_not_answered_from_the_cache(client: FlaskClient, clinic: Clinic) -> None:
    ask(client, api_path(clinic, days=7))
    _, log = ask(client, api_path(clinic, days=3))
    assert computed(log)


def test_a_booking_bumps_the_version_and_the_next_api_question_is_computed(
    client: FlaskClient, clinic: Clinic, make_request: Any, make_staff: Any, app: Flask
) -> None:
    first, _ = ask(client, api_path(clinic))
    free = [slot for day in first.get_json()["dates"] for slot in day["slots"]]
    start = datetime.fromisoformat(free[0])
    before = version(clinic)

    # The front desk books the only consult room at the first free time, through the dashboard.
    item = make_request(clinic, start)
    desk = app.test_client()
    assert login(desk, make_staff(clinic).email).status_code == 303
    response = desk.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start.isoformat()})
    assert response.status_code == 303
    assert version(clinic) > before

    after, log = ask(client, api_path(clinic))
    assert computed(log)
    assert free[0] not in [slot for day in after.get_json()["dates"] for slot in day["slots"]]
    # ...and that new answer is the cached one from now on.
    _, log = ask(client, api_path(clinic))
    assert len(log.statements) == 1


def _close_tomorrow(clinic: Clinic) -> None:
    db.session.add(Closure(clinic_id=clinic.id, start_date=days_ahead(clinic, 1), end_date=days_ahead(clinic, 1)))


def _retire_the_room(clinic: Clinic) -> None:
    room = db.session.scalar(select(Chair).filter_by(clinic_id=clinic.id, kind=ChairKind.CONSULT))
    room.active = False


def _lengthen_the_consultation(clinic: Clinic) -> None:
    service(clinic, "consult").duration_minutes = 60


def _change_the_step(clinic: Clinic) -> None:
    clinic.slot_step_minutes = 15


def _shorten_the_hours(clinic: Clinic) -> None:
    for hours in clinic.opening_hours:
        hours.closes = hours.closes.replace(hour=12)


@pytest.mark.parametrize(
    "change", [_close_tomorrow, _retire_the_room, _lengthen_the_consultation, _change_the_step, _shorten_the_hours]
)
def test_any_calendar_change_bumps_the_version_by_one(
    client: FlaskClient, clinic: Clinic, change: Callable[[Clinic], None]
) -> None:
    ask(client, api_path(clinic))
    before = version(clinic)
    change(clinic)
    db.session.commit()
    assert version(clinic) == before + 1
    _, log = ask(client, api_path(clinic))
    assert computed(log)


def test_a_change_at_another_clinic_leaves_the_cache_alone(
    client: FlaskClient, clinic: Clinic, make_clinic: Callable[..., Clinic], make_appointment: Any
) -> None:
    other = make_clinic()
    ask(client, api_path(clinic))
    before = version(clinic)
    make_appointment(other, service(other, "consult"), chairs(other, ChairKind.CONSULT)[0],
                     local(other, days_ahead(other, 1), 9))
    assert version(clinic) == before
    _, log = ask(client, api_path(clinic))
    assert len(log.statements) == 1


def without_form_key(page: str) -> str:
    key = re.compile(r'(name="form_key"[^>]*value=")[^"]*(")')
    assert len(key.findall(page)) == 1
    return key.sub(r"\1\2", page)


def test_a_repeated_request_form_sends_no_availability_queries(client: FlaskClient, clinic: Clinic) -> None:
    first, log = ask(client, f"/{clinic.slug}/request")
    assert computed(log)

    second, log = ask(client, f"/{clinic.slug}/request")
    assert log.touching(*AVAILABILITY_TABLES) == []
    # The page itself: the clinic, its services and the pre-visit instructions beside the form.
    assert log.tables() <= {"clinic", "service", "previsit_instructions"}
    # The same page but for the form's one-time key, new on every view.
    assert without_form_key(second.get_data(as_text=True)) == without_form_key(first.get_data(as_text=True))


def test_a_booking_bumps_the_version_and_the_next_form_is_computed(
    client: FlaskClient, clinic: Clinic, make_appointment: Any
) -> None:
    first, _ = ask(client, f"/{clinic.slug}/request")
    start = next(slot for day in ask(client, api_path(clinic))[0].get_json()["dates"] for slot in day["slots"])
    assert f'value="{start}"' in first.get_data(as_text=True)
    before = version(clinic)

    make_appointment(clinic, service(clinic, "consult"), chairs(clinic, ChairKind.CONSULT)[0], datetime.fromisoformat(start))
    assert version(clinic) == before + 1

    after, log = ask(client, f"/{clinic.slug}/request")
    assert computed(log)
    assert f'value="{start}"' not in after.get_data(as_text=True)
