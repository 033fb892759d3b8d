"""The free times the request form shows: which days, and the start times on them."""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app, request

from booking.caching import availability_cache, stamp
from booking.domain.availability import starts_by_day
from booking.domain.date_window import DateWindow, date_window
from booking.models import Clinic, Service, utcnow
from booking.queries.availability import find_slots


def times_by_day(clinic: Clinic, service: Service, window: DateWindow) -> dict[date, list[datetime]]:
    """The window's free start times by local date, kept per worker until the calendar changes.

    Only the start times are kept (a few kB a window), not whole slots.
    """
    now = utcnow()
    key, computed_from = (clinic.id, service.id, window.first, window.days), stamp(clinic.booking_counter, now)
    cache = availability_cache("request_form", "REQUEST_FORM_CACHE_SIZE")
    grouped: dict[date, list[datetime]] | None = cache.get(key, computed_from)
    if grouped is None:
        grouped = starts_by_day(find_slots(clinic, service, window.first, window.days, now))
        cache.put(key, computed_from, grouped)
    return grouped


def asked_window(clinic: Clinic) -> DateWindow:
    """The days of times the form shows: those an "earlier/later dates" button asked for (without
    JavaScript), else those the posted form was showing, else `?from=`, else from today."""
    asked = request.form.get("show_from") or request.form.get("window") or request.args.get("from") or ""
    try:
        day: date | None = date.fromisoformat(asked[:10])
    except ValueError:
        day = None
    days = current_app.config["REQUEST_FORM_WINDOW_DAYS"]
    return date_window(clinic.today(utcnow()), day, days, clinic.horizon_days)
