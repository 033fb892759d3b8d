"""Replies read as carriers read them: a keyword is the whole reply."""
from __future__ import annotations

import pytest

from booking.domain.sms_keywords import meaning


@pytest.mark.parametrize("body, expected", [
    ("STOP", "stop"), ("stop", "stop"), (" Stop. ", "stop"), ("UNSUBSCRIBE", "stop"), ("cancel", "stop"),
    ("END", "stop"), ("quit", "stop"), ("STOPALL", "stop"),
    ("START", "start"), ("unstop", "start"),
    ("HELP", "help"), ("help?", "help"),
    ("C", "confirm"), ("c", "confirm"), ("YES", "confirm"), ("yes!", "confirm"), ("1", "confirm"), ("Sí", "confirm"),
    ("R", "reschedule"), ("r", "reschedule"),
    ("Cancel my visit please", "other"), ("1 more question", "other"), ("Can I eat toast?", "other"), ("", "other"),
])
def test_meaning(body: str, expected: str) -> None:
    assert meaning(body) == expected
