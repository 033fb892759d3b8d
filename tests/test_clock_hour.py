"""`clock_hour` (booking/templating.py): the hour a clock time shows, for sentences whose words follow it."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask import Flask
from flask_babel import force_locale

from booking.models import Clinic
from booking.templating import at_clinic, clock_hour

# 03:30 UTC on March 4: 03:30 in London.
LATE = datetime(2026, 3, 4, 3, 30, tzinfo=timezone.utc)


def clinic(tz: str = "America/Chicago", locale: str = "en_US") -> Clinic:
    return Clinic(timezone=tz, locale=locale)


@pytest.mark.parametrize(("moment", "tz", "locale", "hour"), [
    (datetime(2026, 3, 3, 19, 30, tzinfo=timezone.utc), "America/Chicago", "en_US", 1),  # 1:30 PM
    (datetime(2026, 3, 3, 13, 30, tzinfo=timezone.utc), "Europe/London", "en_GB", 13),  # 13:30
    (datetime(2026, 3, 3, 6, 5, tzinfo=timezone.utc), "America/Chicago", "en_US", 12),  # 12:05 AM
])
def test_clock_hour_is_the_hour_the_clock_shows(moment: datetime, tz: str, locale: str, hour: int) -> None:
    assert clock_hour(moment, clinic(tz, locale)) == hour


def test_clock_hour_follows_the_language_being_rendered(app: Flask) -> None:
    # An en_GB clinic read in Spanish writes 24-hour times ("13:30"), an en_US one 12-hour ("1:30 p.m.").
    with app.app_context(), force_locale("es"):
        assert at_clinic(LATE, clinic("Europe/London", "en_GB"), "time") == "3:30"
        assert clock_hour(datetime(2026, 3, 3, 13, 30, tzinfo=timezone.utc), clinic("Europe/London", "en_GB")) == 13
        assert clock_hour(datetime(2026, 3, 3, 19, 30, tzinfo=timezone.utc), clinic()) == 1
