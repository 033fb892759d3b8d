"""The `at_clinic` filter: an instant in the clinic's own zone and locale, a date as it is."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from flask import Flask
from flask_babel import force_locale

from booking.models import Clinic
from booking.templating import (
    at_clinic,
    clinic_locale,
    format_day,
    format_short_day,
    format_time,
    format_times,
    weekday_name,
)

# 03:30 UTC on March 4 is still the evening of March 3 in Chicago.
LATE = datetime(2026, 3, 4, 3, 30, tzinfo=timezone.utc)


def clinic(tz: str = "America/Chicago", locale: str = "en_US") -> Clinic:
    return Clinic(timezone=tz, locale=locale)


@pytest.mark.parametrize(("part", "shown"), [
    ("time", "9:30 PM"),
    ("date", "Tuesday, March 3, 2026"),
    ("short_date", "Tue, Mar 3"),
    ("stamp", "2026-03-03 21:30"),
])
def test_an_instant_is_shown_in_the_clinics_zone(part: str, shown: str) -> None:
    assert at_clinic(LATE, clinic(), part) == shown


def test_the_clinics_locale_sets_the_format() -> None:
    london = clinic("Europe/London", "en_GB")
    assert at_clinic(LATE, london, "time") == "03:30"
    assert at_clinic(LATE, london, "date") == "Wednesday, 4 March 2026"


def test_a_date_is_shown_as_it_is_and_matches_the_email_filters() -> None:
    assert at_clinic(date(2026, 3, 4), clinic("Pacific/Kiritimati"), "date") == "Wednesday, March 4, 2026"
    assert at_clinic(LATE, clinic(), "date") == format_day(LATE, "America/Chicago", "en_US")
    assert at_clinic(LATE, clinic(), "time") == format_time(LATE, "America/Chicago", "en_US")


@pytest.mark.parametrize(("value", "part"), [(LATE, "weekday"), (date(2026, 3, 4), "time")])
def test_a_part_it_cannot_show_is_an_error(value: datetime | date, part: str) -> None:
    with pytest.raises(ValueError):
        at_clinic(value, clinic(), part)


def test_short_dates_follow_the_locales_own_order() -> None:
    day = date(2026, 3, 3)
    assert format_short_day(day, "en_US") == "Tue, Mar 3"
    assert format_short_day(day, "es_US") == "mar, 3 de mar"
    assert format_short_day(day, "es") == "mar, 3 mar"


def test_times_are_joined_in_the_readers_language(app: Flask) -> None:
    moments = [LATE, LATE + timedelta(days=1)]
    with app.app_context():
        assert format_times(moments[:1], "America/Chicago") == "Tuesday, March 3, 2026 at 9:30 PM"
        with force_locale("es"):
            spanish = clinic()
            assert clinic_locale(spanish) == "es_US"
            assert format_times(moments, "America/Chicago", clinic_locale(spanish)) == (
                "martes, 3 de marzo de 2026, 9:30 p.m., miércoles, 4 de marzo de 2026, 9:30 p.m."
            )
            assert at_clinic(LATE, spanish, "date") == "martes, 3 de marzo de 2026"
            assert weekday_name(0, spanish) == "Lunes"
