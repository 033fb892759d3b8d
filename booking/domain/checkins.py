"""When a visit's check-in is open, and what its state is for the day sheet (pure)."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

# Per clinic; 48 hours before the visit unless the clinic sets otherwise.
DEFAULT_OPENS_HOURS_BEFORE = 48


class Window(enum.Enum):
    """Whether a patient may check in for a visit now."""

    NOT_YET = "not_yet"  # opens later
    OPEN = "open"
    CLOSED = "closed"  # the visit has started, passed, or is not going ahead


class CheckinState(enum.Enum):
    """A visit's check-in as staff see it; the value is what the status partial shows."""

    NOT_YET = "not yet"
    DONE = "done"
    NEEDS_CLINICIAN = "needs a clinician"


@dataclass(frozen=True)
class CheckinFacts:
    """What decides a visit's check-in state: whether a current check-in exists, and flags
    a clinician has not yet acknowledged (on the current check-in or any earlier one)."""

    submitted: bool
    unacknowledged_flag: bool


def opens_at(starts_at: datetime, hours_before: int) -> datetime:
    """The moment check-in opens for a visit starting at `starts_at`."""
    return starts_at - timedelta(hours=hours_before)


def window(starts_at: datetime, hours_before: int, going_ahead: bool, now: datetime) -> Window:
    """Whether check-in is open at `now` (it closes when the visit starts)."""
    if not going_ahead or now >= starts_at:
        return Window.CLOSED
    if now < opens_at(starts_at, hours_before):
        return Window.NOT_YET
    return Window.OPEN


def state(facts: CheckinFacts) -> CheckinState:
    """Done, not yet, or needs a clinician (an unacknowledged flag wins over done)."""
    if facts.unacknowledged_flag:
        return CheckinState.NEEDS_CLINICIAN
    return CheckinState.DONE if facts.submitted else CheckinState.NOT_YET
