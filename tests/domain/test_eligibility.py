"""What stands between a patient and an infusion."""
from __future__ import annotations

from datetime import datetime, timezone

from booking.domain.eligibility import Eligibility

DONE = datetime(2026, 5, 1, 15, tzinfo=timezone.utc)


def test_a_completed_consultation_with_every_review_cleared_is_eligible() -> None:
    assert Eligibility(DONE, None, 0, 0, 1).may_have_infusions
    assert Eligibility(DONE, None, 0, 0, 0).missing() == []


def test_each_missing_step_is_named() -> None:
    assert Eligibility(None, None, 0, 0, 0).missing() == ["no consultation yet"]
    assert Eligibility(None, DONE, 0, 0, 0).missing() == ["the consultation is booked but not completed yet"]
    pending = Eligibility(DONE, None, 1, 0, 0)
    assert not pending.may_have_infusions and "review" in pending.missing()[0]
    assert not Eligibility(DONE, None, 0, 1, 2).may_have_infusions
