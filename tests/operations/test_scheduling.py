"""Scheduling a request: a key replays its own request's booking and never marks another request."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from booking.domain.errors import PreferredTimeUnavailable
from booking.domain.screening import SCREENING_QUESTIONS
from booking.extensions import db
from booking.models import Answer, Appointment, Clinic, Concern, ConsultationRequest, RequestStatus, utcnow
from booking.operations.booking import Booker, InvalidBooking, SlotTaken
from booking.operations.intake import RequestDetails, submit_request
from booking.operations.scheduling import schedule_request
from tests.factories import service
from tests.support.clinic_time import days_ahead, local
from tests.support.rules_race import rules_change_before_the_lock

CONFLICT = "already used for another booking"


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(chairs=1)


def scheduled(clinic: Clinic, item: ConsultationRequest, start: Any, key: str) -> Appointment:
    appointment = schedule_request(clinic, item, start, booker=Booker.STAFF, actor_id=None, now=utcnow(),
                                   idempotency_key=key)
    db.session.commit()
    return appointment


def status(item: ConsultationRequest) -> RequestStatus:
    db.session.expire_all()
    return db.session.get(ConsultationRequest, item.id).status


def test_the_same_key_for_the_same_request_and_time_is_a_replay(clinic: Clinic, make_request: Any) -> None:
    start = local(clinic, days_ahead(clinic, 2), 9)
    item = make_request(clinic, start)
    first = scheduled(clinic, item, start, "page-1")
    assert scheduled(clinic, item, start, "page-1").id == first.id
    assert db.session.scalar(select(func.count()).select_from(Appointment)) == 1
    assert status(item) is RequestStatus.SCHEDULED


def test_a_key_used_for_another_request_is_a_conflict_and_the_request_stays_unscheduled(
    clinic: Clinic, make_request: Any
) -> None:
    start = local(clinic, days_ahead(clinic, 2), 9)
    first_request = make_request(clinic, start, name="Ada First")
    second_request = make_request(clinic, start + timedelta(hours=2), name="Bo Second")
    first = scheduled(clinic, first_request, start, "shared")
    with pytest.raises(InvalidBooking, match=CONFLICT):
        schedule_request(clinic, second_request, start + timedelta(hours=2), booker=Booker.STAFF, actor_id=None,
                         now=utcnow(), idempotency_key="shared")
    db.session.rollback()
    assert status(second_request) is RequestStatus.NEW
    assert db.session.get(ConsultationRequest, second_request.id).patient_id is None
    assert db.session.scalars(select(Appointment)).all() == [first]


def test_the_same_key_and_request_at_another_time_is_a_conflict(clinic: Clinic, make_request: Any) -> None:
    start = local(clinic, days_ahead(clinic, 2), 9)
    item = make_request(clinic, start)
    first = scheduled(clinic, item, start, "page-1")
    with pytest.raises(InvalidBooking, match=CONFLICT):
        schedule_request(clinic, item, start + timedelta(hours=1), booker=Booker.STAFF, actor_id=None,
                         now=utcnow(), idempotency_key="page-1")
    db.session.rollback()
    assert db.session.scalars(select(Appointment)).all() == [first]


def unflagged(start: datetime) -> RequestDetails:
    return RequestDetails(
        full_name="Ines Instant", email="ines@example.com", phone="+13125550177", date_of_birth=date(1985, 3, 4),
        concern=Concern.ANXIETY, concern_details="", answers=dict.fromkeys(SCREENING_QUESTIONS, Answer.NO),
        medications="", support_person=Answer.YES, consent_privacy=True, consent_email=True, consent_phone=False,
        preferred_times=(start,),
    )


@pytest.mark.parametrize(
    ("rules", "days", "reason"),
    [
        pytest.param({"min_notice_minutes": 7 * 24 * 60}, 2, "notice", id="notice"),
        pytest.param({"horizon_days": 10}, 20, "horizon", id="horizon"),
    ],
)
def test_an_instant_booking_is_refused_when_the_rules_changed_before_the_lock(
    make_clinic: Any, rules: dict[str, int], days: int, reason: str
) -> None:
    clinic = make_clinic(chairs=1, instant_booking=True)
    wanted = local(clinic, days_ahead(clinic, days), 9)
    with rules_change_before_the_lock(clinic, **rules) as changed, pytest.raises(PreferredTimeUnavailable) as refused:
        submit_request(clinic, service(clinic, "consult"), unflagged(wanted), utcnow())
    assert changed  # the form's time was free by the old rules, then the rules changed
    assert refused.value.times == [wanted]
    assert isinstance(refused.value.__cause__, SlotTaken) and refused.value.__cause__.reason == reason
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Appointment)) == 0
