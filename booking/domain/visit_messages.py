"""Which queued messages still make sense once a visit is over, or taken back from over (pure)."""
from __future__ import annotations

from datetime import datetime

from booking.models import MessageKind

# Messages about the whole series, not this one visit: they stay when one session ends.
KEPT_WHEN_OVER = frozenset({MessageKind.SERIES_BOOKED})


def void_when_over(kind: MessageKind) -> bool:
    """True if a pending message of `kind` must not go out once its visit is completed or a no-show.

    A completed visit getting its booking confirmation, a reminder or a driver's note
    after the fact is the defect this prevents.
    """
    return kind not in KEPT_WHEN_OVER


def restore_on_undo(kind: MessageKind, due_at: datetime, pickup_at: datetime, now: datetime) -> bool:
    """True if a message voided when the visit ended should go out again after the end is undone.

    Only what is still ahead and still true: the driver's pickup note while the pickup is
    to come, a reminder whose moment has not come. Never a booking confirmation or new
    time: the patient is at (or past) the visit it announces.
    """
    if kind is MessageKind.DRIVER_PICKUP:
        return now < pickup_at
    if kind.is_reminder:
        return now < due_at
    return False
