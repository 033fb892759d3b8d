"""Staff's moves in the request queue: allowed moves audited, the rest refused, one clinic only."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from booking.domain.request_flow import IllegalTransition, can_schedule
from booking.extensions import db
from booking.models import (
    Appointment,
    AuditAction,
    AuditEvent,
    ChangeRequest,
    ChangeRequestStatus,
    RequestStatus,
    utcnow,
)
from booking.operations.requests import ChangeRequestRefused, mark_change_request_done, set_request_status


def _actions() -> list[AuditAction]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_manual_move_changes_the_status_and_is_audited(make_clinic: Any, make_request: Any) -> None:
    clinic = make_clinic()
    item = make_request(clinic)
    now = utcnow()
    set_request_status(clinic, item, RequestStatus.CONTACTED, actor_id=None, now=now)
    assert item.status is RequestStatus.CONTACTED and item.updated_at == now
    assert _actions() == [AuditAction.REQUEST_CONTACTED]
    assert can_schedule(item)


@pytest.mark.parametrize("wanted", [RequestStatus.SCHEDULED, RequestStatus.NEEDS_REVIEW])
def test_moves_made_by_other_operations_are_refused(make_clinic: Any, make_request: Any,
                                                     wanted: RequestStatus) -> None:
    clinic = make_clinic()
    item = make_request(clinic)
    with pytest.raises(IllegalTransition):
        set_request_status(clinic, item, wanted, actor_id=None, now=utcnow())
    assert item.status is RequestStatus.NEW and _actions() == []


def test_the_state_machine_refuses_and_another_clinic_cannot_move(make_clinic: Any, make_request: Any) -> None:
    clinic, other = make_clinic(), make_clinic()
    flagged = make_request(clinic, flagged=True)
    assert not can_schedule(flagged)
    with pytest.raises(IllegalTransition):  # only a clinician's clearance makes it new
        set_request_status(clinic, flagged, RequestStatus.NEW, actor_id=None, now=utcnow())
    with pytest.raises(IllegalTransition):
        set_request_status(other, make_request(clinic), RequestStatus.DECLINED, actor_id=None, now=utcnow())
    assert _actions() == []


def test_a_change_request_is_marked_done_once(make_clinic: Any, make_appointment: Any) -> None:
    clinic, other = make_clinic(), make_clinic()
    infusion = next(s for s in clinic.services if s.slug == "infusion")
    appointment: Appointment = make_appointment(clinic, infusion, clinic.chairs[0], utcnow().replace(microsecond=0))
    item = ChangeRequest(clinic_id=clinic.id, appointment_id=appointment.id, preferred_times=[])
    db.session.add(item)
    db.session.flush()
    with pytest.raises(ChangeRequestRefused):
        mark_change_request_done(other, item, actor_id=None)
    assert mark_change_request_done(clinic, item, actor_id=None) is True
    assert mark_change_request_done(clinic, item, actor_id=None) is False
    assert item.status is ChangeRequestStatus.DONE
    assert _actions() == [AuditAction.CHANGE_REQUEST_DONE]
