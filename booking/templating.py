"""Jinja filters that show instants in a clinic's own timezone and locale (Babel)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.dates import format_time as babel_time
from flask import Flask

DEFAULT_LOCALE = "en_US"


def in_zone(moment: datetime, tz: str) -> datetime:
    """`moment` converted to the IANA zone `tz`."""
    return moment.astimezone(ZoneInfo(tz))


def _plain(text: str) -> str:
    # CLDR puts narrow no-break spaces before AM/PM; plain spaces read the same
    # everywhere, including plain-text email.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def format_time(moment: datetime, tz: str, locale: str = DEFAULT_LOCALE) -> str:
    """Local clock time, e.g. "9:30 AM" (en_US) or "09:30" (en_GB)."""
    local = in_zone(moment, tz)
    return _clock_time(local.hour, local.minute, locale)


def format_day(day: date | datetime, tz: str | None = None, locale: str = DEFAULT_LOCALE) -> str:
    """A weekday and date, e.g. "Tuesday, March 3, 2026" (en_US), "Tuesday 3 March 2026" (en_GB)."""
    if isinstance(day, datetime):
        day = in_zone(day, tz).date() if tz else day.date()
    return _date_in(day, "full", locale)


def format_times(moments: Iterable[datetime], tz: str, locale: str = DEFAULT_LOCALE) -> str:
    """Instants as a sentence's list, e.g. "Tuesday, March 3, 2026 at 9:30 AM, Wednesday, ..."."""
    return ", ".join(f"{format_day(m, tz, locale)} at {format_time(m, tz, locale)}" for m in moments)


def format_short_day(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """Compact date for a date strip, e.g. "Tue, Mar 3"."""
    return _date_in(day, "EEE, MMM d", locale)


# Babel resolves the locale's patterns on every call; pages list the same few
# clock times and dates many times over, so the formatted strings are kept.
@lru_cache(maxsize=4096)
def _clock_time(hour: int, minute: int, locale: str) -> str:
    return _plain(babel_time(time(hour, minute), format="short", locale=locale))


@lru_cache(maxsize=4096)
def _date_in(day: date, pattern: str, locale: str) -> str:
    return _plain(format_date(day, format=pattern, locale=locale))


def format_short_day_of(moment: datetime, tz: str, locale: str = DEFAULT_LOCALE) -> str:
    """Compact local date of an instant."""
    return format_short_day(in_zone(moment, tz).date(), locale)


def register_filters(app: Flask) -> None:
    """Make the filters available to templates."""
    app.add_template_filter(format_time, "clinic_time")
    app.add_template_filter(format_day, "long_date")
    app.add_template_filter(format_short_day, "short_date")
    app.add_template_filter(in_zone, "in_zone")
    app.add_template_filter(format_short_day_of, "short_date_of")
