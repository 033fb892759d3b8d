"""An appointment's statuses after booking, the moves allowed between them, when, and their undo (pure).

When (the clinic's own settings, see `rules_for`):
- arrived: from `arrival_window` before the start, on the visit's clinic day only;
- completed: once the start has come;
- no-show: once the start plus `no_show_grace` has passed (later days too: a late entry);
- confirmed and cancelled: any time while booked or confirmed.
Every status change staff make can be undone the same clinic day as the change, back one
step; undoing completed or no-show needs a reason (`undo_needs_reason`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from booking.domain.errors import DomainError
from booking.models import Appointment, AppointmentStatus, Clinic

A = AppointmentStatus

TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    A.BOOKED: frozenset({A.CONFIRMED, A.ARRIVED, A.NO_SHOW, A.CANCELLED}),
    A.CONFIRMED: frozenset({A.ARRIVED, A.NO_SHOW, A.CANCELLED}),
    A.ARRIVED: frozenset({A.COMPLETED}),
    A.COMPLETED: frozenset(),
    A.CANCELLED: frozenset(),
    A.NO_SHOW: frozenset(),
}

# Until the patient arrives (or it is over), an appointment can still move to another time.
_MOVABLE = frozenset({A.BOOKED, A.CONFIRMED})
# The visit is over: messages about it no longer make sense.
FINAL = frozenset({A.COMPLETED, A.NO_SHOW})

DEFAULT_ARRIVAL_WINDOW_MINUTES = 120
DEFAULT_NO_SHOW_GRACE_MINUTES = 15


class IllegalStatusChange(DomainError):
    """The appointment cannot move to that status now."""


@dataclass(frozen=True)
class StatusRules:
    """A clinic's timing of the front desk's moves."""

    zone: ZoneInfo
    arrival_window: timedelta = timedelta(minutes=DEFAULT_ARRIVAL_WINDOW_MINUTES)
    no_show_grace: timedelta = timedelta(minutes=DEFAULT_NO_SHOW_GRACE_MINUTES)

    def day_of(self, instant: datetime) -> date:
        """The clinic's calendar date at `instant`."""
        return instant.astimezone(self.zone).date()


def rules_for(clinic: Clinic) -> StatusRules:
    """The clinic's settings as rules (a clinic not yet saved has the defaults)."""
    window = clinic.arrival_window_minutes
    grace = clinic.no_show_grace_minutes
    return StatusRules(
        clinic.zone,
        timedelta(minutes=DEFAULT_ARRIVAL_WINDOW_MINUTES if window is None else window),
        timedelta(minutes=DEFAULT_NO_SHOW_GRACE_MINUTES if grace is None else grace),
    )


def allowed_at(to: AppointmentStatus, starts_at: datetime, rules: StatusRules, now: datetime) -> bool:
    """True if a move to `to` is timely at `now` for a visit starting at `starts_at` (the table aside)."""
    if to is A.ARRIVED:
        return now >= starts_at - rules.arrival_window and rules.day_of(now) == rules.day_of(starts_at)
    if to is A.COMPLETED:
        return now >= starts_at
    if to is A.NO_SHOW:
        return now >= starts_at + rules.no_show_grace
    return True


def can_set(appointment: Appointment, to: AppointmentStatus, clinic: Clinic, now: datetime) -> bool:
    """True if `appointment` may move to `to` at `now`."""
    if to not in TRANSITIONS[appointment.status]:
        return False
    return allowed_at(to, appointment.starts_at, rules_for(clinic), now)


def undo_target(status: AppointmentStatus, patient_confirmed: bool) -> AppointmentStatus | None:
    """The status one step back from `status`, or None if it has no undo here (booked, cancelled)."""
    before_the_visit = A.CONFIRMED if patient_confirmed else A.BOOKED
    return {
        A.CONFIRMED: A.BOOKED,
        A.ARRIVED: before_the_visit,
        A.NO_SHOW: before_the_visit,
        A.COMPLETED: A.ARRIVED,
    }.get(status)


def undo_needs_reason(status: AppointmentStatus) -> bool:
    """Undoing a final outcome (completed, no-show) must say why."""
    return status in FINAL


def can_undo(appointment: Appointment, clinic: Clinic, now: datetime) -> bool:
    """True if staff may take the last status change back: it was made today, on the clinic's calendar."""
    changed = appointment.status_changed_at
    if changed is None or undo_target(appointment.status, appointment.patient_confirmed_at is not None) is None:
        return False
    rules = rules_for(clinic)
    return rules.day_of(changed) == rules.day_of(now)


def can_reschedule(appointment: Appointment) -> bool:
    """True if `appointment` may move to another time: it is still booked or confirmed."""
    return appointment.status in _MOVABLE


def driver_confirmable(name: str, phone: str, confirmed_with: str) -> bool:
    """A driver may be marked confirmed only with a name and phone, or a note of whom staff spoke to."""
    return bool(name.strip() and phone.strip()) or bool(confirmed_with.strip())


# Why a final outcome is taken back: codes, so the audit log holds no free text about a patient.
UNDO_REASONS = {
    "mistake": "Marked by mistake",
    "wrong_visit": "Marked on the wrong visit",
    "arrived_late": "The patient arrived after all",
    "not_finished": "The visit is not finished",
}


def opens_at(to: AppointmentStatus, starts_at: datetime, rules: StatusRules) -> datetime | None:
    """The first instant a move to `to` is timely (arrived, completed, no-show), else None."""
    if to is A.ARRIVED:
        local = starts_at.astimezone(rules.zone)
        midnight = datetime(local.year, local.month, local.day, tzinfo=rules.zone)
        return max(starts_at - rules.arrival_window, midnight)
    if to is A.COMPLETED:
        return starts_at
    if to is A.NO_SHOW:
        return starts_at + rules.no_show_grace
    return None
