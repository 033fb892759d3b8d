"""A patient's rebooking is checked under the booking lock by the public rules, as they are then."""
from __future__ import annotations

from typing import Any

import pytest

from booking.extensions import db
from booking.models import Appointment, Clinic, utcnow
from booking.operations.booking import SlotTaken
from booking.operations.patient_actions import request_reschedule
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.rules_race import rules_change_before_the_lock

RACES = [
    pytest.param({"min_notice_minutes": 7 * 24 * 60}, 2, "notice", id="notice"),
    pytest.param({"horizon_days": 10}, 20, "horizon", id="horizon"),
]


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(chairs=1, patients_can_rebook=True)


@pytest.fixture
def appt(clinic: Clinic, make_appointment: Any) -> Appointment:
    return make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, days_ahead(clinic, 5), 10))


@pytest.mark.parametrize(("rules", "days", "reason"), RACES)
def test_rebooking_is_refused_when_the_rules_changed_before_the_lock(
    clinic: Clinic, appt: Appointment, rules: dict[str, int], days: int, reason: str
) -> None:
    wanted = local(clinic, days_ahead(clinic, days), 9)
    before = appt.starts_at
    with rules_change_before_the_lock(clinic, **rules) as changed, pytest.raises(SlotTaken) as refused:
        request_reschedule(clinic, appt, [wanted], utcnow())
    assert changed  # the times were offered by the old rules, then the rules changed
    assert refused.value.reason == reason
    db.session.rollback()
    assert db.session.get(Appointment, appt.id).starts_at == before
