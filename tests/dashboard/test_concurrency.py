"""Many people booking the last free time at once: exactly one wins, nobody sees a 5xx.

Runs on SQLite (one writer, BEGIN IMMEDIATE) and, in CI, on PostgreSQL (row lock
plus the exclusion constraint).
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from booking.extensions import db
from booking.models import Appointment, ChairKind, ConsultationRequest, RequestStatus
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.sign_in import login

THREADS = 20
ROUNDS = 4


def race(app: Flask, cookie: str, posts: list[tuple[str, dict[str, str]]]) -> Counter[int]:
    """Send every post from its own thread, all released together by a barrier."""
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(path: str, data: dict[str, str]) -> None:
        client = app.test_client()
        client.set_cookie("session", cookie)
        barrier.wait(timeout=30)
        status = client.post(path, data=data).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=worker, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == len(posts)
    return Counter(statuses)


@pytest.fixture
def staff_cookie(app: Flask, make_clinic: Any, make_staff: Any) -> tuple[Any, str]:
    clinic = make_clinic(chairs=1)
    user = make_staff(clinic)
    client = app.test_client()
    assert login(client, user.email).status_code == 303
    cookie = client.get_cookie("session")
    assert cookie is not None
    return clinic, cookie.value


def test_last_room_slot_is_booked_exactly_once(app: Flask, staff_cookie: tuple[Any, str], make_patient: Any) -> None:
    clinic, cookie = staff_cookie
    consult = service(clinic, "consult")
    patients = [make_patient(clinic, f"Racer {n}") for n in range(THREADS)]
    for round_ in range(ROUNDS):
        start = local(clinic, days_ahead(clinic, 2 + round_), 9).isoformat()
        posts = [(f"/dashboard/patients/{p.id}/book", {"start": start, "service_id": str(consult.id), "key": f"r{round_}-{i}"})
                 for i, p in enumerate(patients)]
        statuses = race(app, cookie, posts)
        assert statuses == Counter({303: 1, 409: THREADS - 1}), statuses
    db.session.expire_all()
    starts = db.session.scalars(select(Appointment.starts_at)).all()
    assert len(starts) == ROUNDS and len(set(starts)) == ROUNDS


def test_one_request_scheduled_once_under_concurrency(
    app: Flask, staff_cookie: tuple[Any, str], make_request: Any
) -> None:
    clinic, cookie = staff_cookie
    item = make_request(clinic)
    times = [local(clinic, days_ahead(clinic, 3), 8) + timedelta(minutes=60 * n) for n in range(8)]
    times += [local(clinic, days_ahead(clinic, 4), 8) + timedelta(minutes=60 * n) for n in range(THREADS - 8)]
    posts = [(f"/dashboard/requests/{item.id}/schedule", {"start": t.isoformat(), "key": f"k{i}"})
             for i, t in enumerate(times)]
    statuses = race(app, cookie, posts)
    assert statuses == Counter({303: 1, 409: THREADS - 1}), statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Appointment).filter_by(request_id=item.id)) == 1
    assert db.session.get(ConsultationRequest, item.id).status is RequestStatus.SCHEDULED


def test_database_refuses_overlap_on_postgresql(make_clinic: Any, make_appointment: Any) -> None:
    clinic = make_clinic(chairs=1)
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    chair = chairs(clinic)[0]
    infusion = service(clinic, "infusion")
    start = local(clinic, days_ahead(clinic, 2), 9)
    make_appointment(clinic, infusion, chair, start)
    with pytest.raises(IntegrityError, match="ex_appointment_chair_overlap"):
        # Starts during the first one's recovery (10:00-10:45).
        make_appointment(clinic, infusion, chair, start + timedelta(minutes=90))
    db.session.rollback()
    # Cancelled appointments do not hold the chair.
    first = db.session.scalars(select(Appointment)).one()
    from booking.models import AppointmentStatus

    first.status = AppointmentStatus.CANCELLED
    db.session.commit()
    make_appointment(clinic, infusion, chair, start + timedelta(minutes=90))
    assert chairs(clinic, ChairKind.INFUSION)
