"""The life of a consultation request: statuses and the moves allowed between them."""
from __future__ import annotations

from booking.domain.errors import DomainError
from booking.models import AuditAction, ConsultationRequest, RequestStatus, ReviewDecision

S = RequestStatus

# Allowed moves. Scheduling happens only through `schedule_request`, and a
# request waiting for a clinician cannot be scheduled until it is cleared.
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.NEW: frozenset({S.CONTACTED, S.SCHEDULED, S.DECLINED, S.WITHDRAWN, S.NEEDS_REVIEW}),
    S.NEEDS_REVIEW: frozenset({S.NEW, S.CONTACTED, S.DECLINED, S.WITHDRAWN}),
    S.CONTACTED: frozenset({S.SCHEDULED, S.DECLINED, S.WITHDRAWN, S.NEEDS_REVIEW}),
    S.SCHEDULED: frozenset({S.CONTACTED, S.WITHDRAWN}),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset({S.NEW}),
}

# Moves staff make by hand (the others follow from scheduling and reviews), as the audit log names them.
MANUAL_MOVE_ACTIONS = {
    S.CONTACTED: AuditAction.REQUEST_CONTACTED,
    S.DECLINED: AuditAction.REQUEST_DECLINED,
    S.WITHDRAWN: AuditAction.REQUEST_WITHDRAWN,
    S.NEW: AuditAction.REQUEST_NEW,
}
MANUAL_MOVES = frozenset(MANUAL_MOVE_ACTIONS)


class IllegalTransition(DomainError):
    """A request cannot move to that status from where it is."""

    def __init__(self, current: RequestStatus, wanted: RequestStatus) -> None:
        super().__init__(f"cannot move a {current.value} request to {wanted.value}")
        self.current = current
        self.wanted = wanted


# Moves that let a request go ahead towards a booking.
_GOING_AHEAD = frozenset({S.NEW, S.SCHEDULED})


def can_move(request: ConsultationRequest, to: RequestStatus) -> bool:
    """True if `request` may move to `to`.

    A flagged request goes ahead (back to new, or scheduled, by whatever path,
    e.g. through "contacted") only once a clinician has cleared it.
    """
    if to in _GOING_AHEAD and request.needs_clinician_review and request.review_decision is not ReviewDecision.CLEARED:
        return False
    return to in TRANSITIONS[request.status]


def can_schedule(request: ConsultationRequest) -> bool:
    """True if the request's consultation may be booked now (new or contacted)."""
    return can_move(request, S.SCHEDULED)


def move(request: ConsultationRequest, to: RequestStatus) -> None:
    """Move `request` to `to`, or raise `IllegalTransition`."""
    if not can_move(request, to):
        raise IllegalTransition(request.status, to)
    request.status = to
