"""What staff may do to a visit now, for its page and the day sheet's cards (no routes here)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking.domain.appointment_flow import (
    UNDO_REASONS,
    A,
    can_set,
    can_undo,
    opens_at,
    rules_for,
    undo_needs_reason,
    undo_target,
)
from booking.models import Appointment, AppointmentStatus, Clinic, utcnow
from booking.operations.appointment_status import can_confirm_driver
from booking.queries.readiness import day_readiness, open_change_count
from booking.queries.schedule import Entry

# Status buttons staff see; cancelling has its own form with a reason.
STATUS_BUTTONS = (A.CONFIRMED, A.ARRIVED, A.COMPLETED, A.NO_SHOW)


@dataclass(frozen=True)
class VisitActions:
    """What staff may do to a visit now, and which moves open later today."""

    statuses: tuple[AppointmentStatus, ...]
    later: tuple[tuple[AppointmentStatus, datetime], ...]
    undo_to: AppointmentStatus | None
    undo_reason: bool
    confirm_driver: bool
    driver_by_phone: bool  # no driver recorded: confirming needs whom staff spoke to
    unconfirm_driver: bool

    @property
    def any(self) -> bool:
        """True if at least one button shows."""
        return bool(self.statuses or self.undo_to or self.confirm_driver or self.unconfirm_driver)


def actions_for(clinic: Clinic, appointment: Appointment, needs_driver: bool, now: datetime) -> VisitActions:
    """The buttons the rules allow now for `appointment` (and when the others open, if today)."""
    rules = rules_for(clinic)
    statuses = tuple(s for s in STATUS_BUTTONS if can_set(appointment, s, clinic, now))
    later = []
    for status in STATUS_BUTTONS:
        moment = opens_at(status, appointment.starts_at, rules)
        if (status not in statuses and moment is not None and moment > now
                and status in _reachable(appointment.status) and rules.day_of(moment) == rules.day_of(now)):
            later.append((status, moment))
    undo = can_undo(appointment, clinic, now)
    driver_ok = needs_driver and can_confirm_driver(appointment)
    return VisitActions(
        statuses=statuses,
        later=tuple(later),
        undo_to=undo_target(appointment.status, appointment.patient_confirmed_at is not None) if undo else None,
        undo_reason=undo and undo_needs_reason(appointment.status),
        confirm_driver=driver_ok,
        driver_by_phone=driver_ok and not (appointment.driver_name and appointment.driver_phone),
        unconfirm_driver=needs_driver and appointment.driver_confirmed_at is not None and appointment.status in (
            A.BOOKED, A.CONFIRMED),
    )


def visit_context(clinic: Clinic, entries: list[Entry]) -> dict[str, Any]:
    """What the day sheet's visit cards need: readiness, the moves allowed now, the undo reasons."""
    now = utcnow()
    return {
        "ready": day_readiness(clinic, entries),
        "actions": {e.appointment.id: actions_for(clinic, e.appointment, e.service.needs_chair, now)
                    for e in entries},
        "undo_reasons": UNDO_REASONS,
        "open_changes": open_change_count(clinic),
    }


def _reachable(status: AppointmentStatus) -> set[AppointmentStatus]:
    # Completed comes after arrival: say when it opens for a visit not checked in yet too.
    if status in (A.BOOKED, A.CONFIRMED):
        return {A.ARRIVED, A.NO_SHOW, A.COMPLETED}
    return {A.COMPLETED} if status is A.ARRIVED else set()
