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
# The front desk's timing: arrival from this long before the start; no-show after the start plus this.
ARRIVAL_WINDOW_MINUTES = Bounds(0, 480)
NO_SHOW_GRACE_MINUTES = Bounds(0, 240)
# Settings forms only (the database keeps minutes and allows any non-negative notice).
MIN_NOTICE_HOURS = Bounds(0, 720)
FASTING_HOURS = Bounds(0, 24)

# How far ahead staff may book, whatever the public horizon.
STAFF_HORIZON_DAYS = 400

# The longest a chair can be held by one appointment: the longest service plus
# the longest recovery. Occupancy queries look back this far before a window.
LONGEST_BLOCK = timedelta(minutes=SERVICE_MINUTES.high + RECOVERY_MINUTES.high)

# Where a request came from (utm_* and source), as the embed script or a link passes it:
# cut to this many characters rather than refusing the patient's form.
CAMPAIGN_TEXT = Bounds(1, 100)
# An origin allowed to embed a clinic's form, e.g. https://www.clinic.example:8443.
EMBED_ORIGIN_LENGTH = Bounds(8, 300)
# Check-in (booking/models/checkin.py): how long before a visit it opens; the free text's length.
CHECKIN_OPENS_HOURS = Bounds(1, 168)
MEDICATION_CHANGE_CHARS = 2000
