"""GET /api/v1/clinics/<slug>/availability: shapes and error codes."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.domain.availability import local_instant
from booking.extensions import db
from booking.models import AppointmentStatus, Chair, ChairKind, Clinic, Service, utcnow


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(chairs=1)


def url(clinic: Clinic, **params: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/clinics/{clinic.slug}/availability?{query}"


def tomorrow(clinic: Clinic) -> date:
    return utcnow().astimezone(ZoneInfo(clinic.timezone)).date() + timedelta(days=1)


def test_shape_groups_iso_times_by_local_date(client: FlaskClient, clinic: Clinic) -> None:
    first = tomorrow(clinic)
    response = client.get(url(clinic, service="consult", **{"from": first.isoformat()}, days=3))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.get_json()
    assert body["clinic"] == clinic.slug
    assert body["timezone"] == "America/Chicago"
    assert body["service"] == "consult"
    assert body["from"] == first.isoformat()
    assert [d["date"] for d in body["dates"]] == [(first + timedelta(days=i)).isoformat() for i in range(3)]
    for day in body["dates"]:
        assert day["slots"], "open every day 08:00-18:00"
        for value in day["slots"]:
            moment = datetime.fromisoformat(value)
            assert moment.utcoffset() is not None
            assert value[:10] == day["date"]
            local = moment.astimezone(ZoneInfo("America/Chicago"))
            assert time(8) <= local.time() and local.time() <= time(17, 15)
    # 08:00 to 17:15 every 30 minutes for a 45-minute service.
    assert len(body["dates"][0]["slots"]) == 19


def test_defaults_to_seven_days_from_today(client: FlaskClient, clinic: Clinic) -> None:
    body = client.get(url(clinic, service="consult")).get_json()
    assert body["days"] == 7 and len(body["dates"]) == 7
    assert body["from"] == utcnow().astimezone(ZoneInfo(clinic.timezone)).date().isoformat()


def test_busy_chair_and_recovery_remove_slots(
    client: FlaskClient, clinic: Clinic, make_appointment: Any
) -> None:
    day = tomorrow(clinic)
    chair = db.session.scalar(select(Chair).filter_by(clinic_id=clinic.id, kind=ChairKind.INFUSION))
    infusion = db.session.scalar(select(Service).filter_by(clinic_id=clinic.id, slug="infusion"))
    infusion.public = True
    start = local_instant(day, time(10), ZoneInfo(clinic.timezone))
    assert start is not None
    make_appointment(clinic, infusion, chair, start)
    body = client.get(url(clinic, service="infusion", **{"from": day.isoformat()}, days=1)).get_json()
    wall = {datetime.fromisoformat(v).strftime("%H:%M") for v in body["dates"][0]["slots"]}
    # Held 10:00-11:45 (60 min + 45 recovery); a new block is 1h45 too.
    morning = sorted(w for w in wall if w <= "12:00")
    assert morning == ["08:00", "12:00"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"service": "nope"}, "service"),
        ({}, "service"),
        ({"service": "infusion"}, "service"),  # exists but not requestable by the public
        ({"service": "consult", "from": "2026-02-30"}, "from"),
        ({"service": "consult", "from": "tomorrow"}, "from"),
        ({"service": "consult", "from": "9999-01-01"}, "from"),
        ({"service": "consult", "days": "0"}, "days"),
        ({"service": "consult", "days": "32"}, "days"),
        ({"service": "consult", "days": "seven"}, "days"),
    ],
)
def test_bad_parameters_are_400_with_the_field(
    client: FlaskClient, clinic: Clinic, params: dict[str, str], field: str
) -> None:
    response = client.get(url(clinic, **params))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["field"] == field and error["message"]


def test_unknown_clinic_is_json_404(client: FlaskClient, clinic: Clinic) -> None:
    response = client.get("/api/v1/clinics/nowhere/availability?service=consult")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
    assert client.get("/api/v1/nothing-here").get_json()["error"]["status"] == 404


def test_other_clinics_services_are_unknown(client: FlaskClient, make_clinic: Any) -> None:
    first, second = make_clinic(), make_clinic()
    db.session.scalar(select(Service).filter_by(clinic_id=second.id, slug="consult")).slug = "only-b"
    db.session.commit()
    assert client.get(url(first, service="only-b")).status_code == 400
    assert client.get(url(second, service="only-b")).status_code == 200


def test_cached_answers_follow_every_change(client: FlaskClient, clinic: Clinic, make_appointment: Any) -> None:
    from booking.models import Closure

    day = tomorrow(clinic)
    path = url(clinic, service="consult", **{"from": day.isoformat()}, days=1)
    first = client.get(path).get_json()
    assert client.get(path).get_json() == first  # served again, from the cache or not
    eight = local_instant(day, time(8), ZoneInfo(clinic.timezone))
    assert eight is not None and eight.isoformat() in first["dates"][0]["slots"]

    room = db.session.scalar(select(Chair).filter_by(clinic_id=clinic.id, kind=ChairKind.CONSULT))
    consult = db.session.scalar(select(Service).filter_by(clinic_id=clinic.id, slug="consult"))
    appointment = make_appointment(clinic, consult, room, eight)
    assert eight.isoformat() not in client.get(path).get_json()["dates"][0]["slots"]

    appointment.status = AppointmentStatus.CANCELLED
    db.session.commit()
    assert eight.isoformat() in client.get(path).get_json()["dates"][0]["slots"]

    db.session.add(Closure(clinic_id=clinic.id, start_date=day, end_date=day, reason="x"))
    db.session.commit()
    assert client.get(path).get_json()["dates"][0]["slots"] == []

    clinic.slot_step_minutes = 60
    db.session.commit()
    other = url(clinic, service="consult", **{"from": (day + timedelta(days=1)).isoformat()}, days=1)
    walls = {v[11:16] for v in client.get(other).get_json()["dates"][0]["slots"]}
    assert "08:30" not in walls and "09:00" in walls


class TestRateLimit:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"API_RATE_LIMIT": "3 per minute"}

    def test_cached_answers_still_count_and_refusals_say_when_to_retry(
        self, client: FlaskClient, clinic: Clinic
    ) -> None:
        path = url(clinic, service="consult", days=1)
        bodies = [client.get(path).get_json() for _ in range(3)]
        assert bodies[0] == bodies[2]  # the later ones come from the cache
        refused = client.get(path)
        assert refused.status_code == 429
        assert refused.get_json()["error"]["status"] == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
