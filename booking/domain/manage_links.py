"""Secret links to a patient's appointment page: how a token is hashed and how long it lasts."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

# A link keeps working until a day after the appointment (and its recovery) ends.
VALID_AFTER_APPOINTMENT = timedelta(days=1)
# Longer strings are never tokens we made (ours are 43 characters).
MAX_TOKEN_LENGTH = 100


def token_hash(token: str) -> str:
    """The SHA-256 hex digest stored in place of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_expiry(blocked_until: datetime) -> datetime:
    """When a link to an appointment that holds its chair until `blocked_until` stops working."""
    return blocked_until + VALID_AFTER_APPOINTMENT
