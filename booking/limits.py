"""Bounds on what a clinic may set, defined once for the database's checks, the forms and the queries.

Raising a bound here raises it everywhere: the CHECK constraints (after a
migration), the settings forms, and the occupancy queries' look-back
(`LONGEST_BLOCK`), so a longer appointment can never slip past them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Bounds:
    """An inclusive range of whole numbers."""

    low: int
    high: int

    def check(self, column: str, *, nullable: bool = False) -> str:
        """The SQL of a CHECK constraint keeping `column` within the bounds."""
        between = f"{column} BETWEEN {self.low} AND {self.high}"
        return f"{column} IS NULL OR {between}" if nullable else between


SLOT_STEP_MINUTES = Bounds(5, 240)
HORIZON_DAYS = Bounds(1, 730)
SERVICE_MINUTES = Bounds(5, 480)
RECOVERY_MINUTES = Bounds(0, 360)
REMINDER_DAYS_BEFORE = Bounds(1, 14)
REMINDER_HOURS_BEFORE = Bounds(1, 24)
# Settings forms only (the database keeps minutes and allows any non-negative notice).
MIN_NOTICE_HOURS = Bounds(0, 720)
FASTING_HOURS = Bounds(0, 24)

# How far ahead staff may book, whatever the public horizon.
STAFF_HORIZON_DAYS = 400

# The longest a chair can be held by one appointment: the longest service plus
# the longest recovery. Occupancy queries look back this far before a window.
LONGEST_BLOCK = timedelta(minutes=SERVICE_MINUTES.high + RECOVERY_MINUTES.high)

# Check-in (booking/models/checkin.py): how long before a visit it opens; the free text's length.
CHECKIN_OPENS_HOURS = Bounds(1, 168)
MEDICATION_CHANGE_CHARS = 2000
