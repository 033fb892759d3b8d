"""Jinja filters that show instants in a clinic's own timezone."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask


def in_zone(moment: datetime, tz: str) -> datetime:
    """`moment` converted to the IANA zone `tz`."""
    return moment.astimezone(ZoneInfo(tz))


def format_time(moment: datetime, tz: str) -> str:
    """Local clock time, e.g. "9:30 AM"."""
    local = in_zone(moment, tz)
    return local.strftime("%I:%M %p").lstrip("0")


def format_day(day: date | datetime, tz: str | None = None) -> str:
    """A weekday and date, e.g. "Tuesday, March 3, 2026"."""
    if isinstance(day, datetime):
        day = in_zone(day, tz).date() if tz else day.date()
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def format_short_day(day: date) -> str:
    """Compact date for a date strip, e.g. "Tue 3 Mar"."""
    return f"{day:%a} {day.day} {day:%b}"


def format_short_day_of(moment: datetime, tz: str) -> str:
    """Compact local date of an instant, e.g. "Tue 3 Mar"."""
    return format_short_day(in_zone(moment, tz).date())


def register_filters(app: Flask) -> None:
    """Make the filters available to templates."""
    app.add_template_filter(format_time, "clinic_time")
    app.add_template_filter(format_day, "long_date")
    app.add_template_filter(format_short_day, "short_date")
    app.add_template_filter(in_zone, "in_zone")
    app.add_template_filter(format_short_day_of, "short_date_of")
