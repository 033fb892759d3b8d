"""A consultation request's statuses: every allowed move, every refused one, and the review gate."""
from __future__ import annotations

from collections import deque
from itertools import product

import pytest

from booking.domain.errors import DomainError
from booking.domain.request_flow import MANUAL_MOVES, TRANSITIONS, IllegalTransition, can_move, move
from booking.models import ConsultationRequest, RequestStatus, ReviewDecision

S = RequestStatus

# Written out by hand rather than read from TRANSITIONS, so a change to the table shows up here.
ALLOWED = {
    (S.NEW, S.CONTACTED), (S.NEW, S.SCHEDULED), (S.NEW, S.DECLINED), (S.NEW, S.WITHDRAWN), (S.NEW, S.NEEDS_REVIEW),
    (S.NEEDS_REVIEW, S.NEW), (S.NEEDS_REVIEW, S.CONTACTED), (S.NEEDS_REVIEW, S.DECLINED), (S.NEEDS_REVIEW, S.WITHDRAWN),
    (S.CONTACTED, S.SCHEDULED), (S.CONTACTED, S.DECLINED), (S.CONTACTED, S.WITHDRAWN), (S.CONTACTED, S.NEEDS_REVIEW),
    (S.SCHEDULED, S.CONTACTED), (S.SCHEDULED, S.WITHDRAWN),
    (S.WITHDRAWN, S.NEW),
}
PAIRS = list(product(RequestStatus, RequestStatus))


def request(status: RequestStatus, *, flagged: bool = False, decision: ReviewDecision | None = None) -> ConsultationRequest:
    """A request in memory (no database): only what the rules read."""
    return ConsultationRequest(status=status, needs_clinician_review=flagged, review_decision=decision)


def test_the_table_has_every_status_and_nothing_else() -> None:
    assert set(TRANSITIONS) == set(RequestStatus)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


def test_staff_move_requests_by_hand_only_to_these() -> None:
    assert {S.CONTACTED, S.DECLINED, S.WITHDRAWN, S.NEW} == MANUAL_MOVES


@pytest.mark.parametrize(("current", "wanted"), PAIRS, ids=[f"{a.value}->{b.value}" for a, b in PAIRS])
def test_every_move_of_an_unflagged_request(current: RequestStatus, wanted: RequestStatus) -> None:
    item = request(current)
    allowed = (current, wanted) in ALLOWED
    assert can_move(item, wanted) is allowed
    if allowed:
        move(item, wanted)
        assert item.status is wanted
    else:
        with pytest.raises(IllegalTransition) as error:
            move(item, wanted)
        assert item.status is current  # nothing changed
        assert (error.value.current, error.value.wanted) == (current, wanted)
        assert str(error.value) == f"cannot move a {current.value} request to {wanted.value}"
        assert isinstance(error.value, DomainError)


def test_declined_is_final() -> None:
    item = request(S.DECLINED)
    assert [s for s in RequestStatus if can_move(item, s)] == []


@pytest.mark.parametrize("current", [S.NEEDS_REVIEW, S.WITHDRAWN])
def test_a_flagged_request_cannot_go_to_new_without_a_decision(current: RequestStatus) -> None:
    item = request(current, flagged=True)
    assert can_move(item, S.NEW) is False
    with pytest.raises(IllegalTransition):
        move(item, S.NEW)
    assert item.status is current


def test_a_cleared_request_may_go_to_new() -> None:
    item = request(S.NEEDS_REVIEW, flagged=True, decision=ReviewDecision.CLEARED)
    move(item, S.NEW)
    assert item.status is S.NEW


def test_the_review_gate_only_concerns_new() -> None:
    flagged = request(S.NEEDS_REVIEW, flagged=True)
    assert {s for s in RequestStatus if can_move(flagged, s)} == {S.CONTACTED, S.DECLINED, S.WITHDRAWN}
    # An unflagged request waiting for review (sent back by hand) needs no decision to return.
    assert can_move(request(S.NEEDS_REVIEW), S.NEW) is True


def test_a_decision_does_not_open_moves_the_table_refuses() -> None:
    item = request(S.DECLINED, flagged=True, decision=ReviewDecision.CLEARED)
    assert can_move(item, S.NEW) is False


def _reachable(item: ConsultationRequest, moves: frozenset[RequestStatus] | set[RequestStatus]) -> set[RequestStatus]:
    """Every status `item` can reach through `moves`, by any path."""
    seen = {item.status}
    queue = deque([item.status])
    while queue:
        here = queue.popleft()
        probe = request(here, flagged=item.needs_clinician_review, decision=item.review_decision)
        for there in moves:
            if there not in seen and can_move(probe, there):
                seen.add(there)
                queue.append(there)
    return seen


def test_without_a_decision_a_flagged_request_never_goes_back_to_new() -> None:
    assert S.NEW not in _reachable(request(S.NEEDS_REVIEW, flagged=True), set(RequestStatus))


def test_without_a_decision_a_flagged_request_cannot_be_scheduled_by_any_path() -> None:
    assert S.SCHEDULED not in _reachable(request(S.NEEDS_REVIEW, flagged=True), set(RequestStatus))
