"""What staff do by hand in the request queue: move a request, close a patient's change request."""
from __future__ import annotations

from datetime import datetime

from booking.domain.errors import DomainError
from booking.domain.request_flow import MANUAL_MOVE_ACTIONS, IllegalTransition, move
from booking.models import (
    AuditAction,
    ChangeRequest,
    ChangeRequestStatus,
    Clinic,
    ConsultationRequest,
    RequestStatus,
)
from booking.operations import audit


class ChangeRequestRefused(DomainError):
    """The change request cannot be closed by this clinic."""


def set_request_status(
    clinic: Clinic, request: ConsultationRequest, to: RequestStatus, *, actor_id: int | None, now: datetime
) -> None:
    """Mark the request contacted, declined, withdrawn or new again, and audit it.

    Raises `IllegalTransition` for any other status (scheduling and reviews have
    their own operations) and for a move the request's state machine refuses.
    """
    if request.clinic_id != clinic.id or to not in MANUAL_MOVE_ACTIONS:
        raise IllegalTransition(request.status, to)
    move(request, to)
    request.updated_at = now
    audit.record(clinic.id, actor_id, MANUAL_MOVE_ACTIONS[to], "consultation_request", request.id)


def mark_change_request_done(clinic: Clinic, item: ChangeRequest, *, actor_id: int | None) -> bool:
    """Close a patient's open change request as handled; False if it was already closed."""
    if item.clinic_id != clinic.id:
        raise ChangeRequestRefused("this change request belongs to another clinic")
    if item.status is not ChangeRequestStatus.OPEN:
        return False
    item.status = ChangeRequestStatus.DONE
    audit.record(clinic.id, actor_id, AuditAction.CHANGE_REQUEST_DONE, "change_request", item.id)
    return True
