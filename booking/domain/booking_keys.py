"""What a booking form's one-time key stands for.

A key is stored with a fingerprint of the booking it made. The same key with
the same booking is a repeat (a double click, the back button) and gets the
appointment already made; the same key with anything else is refused.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

# Bump when the parts change; a migration recomputes stored fingerprints with the same recipe.
FINGERPRINT_VERSION = "booking-v1"


def booking_fingerprint(
    clinic_id: int, patient_id: int | None, service_id: int, start: datetime,
    chair_id: int | None, request_id: int | None,
) -> str:
    """SHA-256 hex digest of who, what, when, on which chair (as asked) and for which request."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    parts = (FINGERPRINT_VERSION, clinic_id, patient_id, service_id,
             start.astimezone(timezone.utc).isoformat(), chair_id, request_id)
    return hashlib.sha256("|".join("-" if p is None else str(p) for p in parts).encode()).hexdigest()
