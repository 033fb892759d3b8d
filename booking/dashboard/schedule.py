"""Day and week views of the clinic's schedule."""
from __future__ import annotations

from datetime import date, timedelta

from flask import render_template
from sqlalchemy import select

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires
from booking.dashboard.day_grid import build_grid, mark_freed
from booking.dashboard.query_args import date_arg
from booking.dashboard.visit_state import visit_context
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.models import OpeningHours, utcnow
from booking.queries.availability import window_of
from booking.queries.schedule import cancelled_entries, clinic_chairs, day_entries, entries_between

FLAG_LABELS = {
    "new_patient": ("New patient", ""),
    "needs_review": ("Needs clinician review", "alert"),
    "not_confirmed": ("Not confirmed", "warn"),
    "no_driver": ("Driver not confirmed", "warn"),
}


@bp.get("/")
@requires(Permission.VIEW_SCHEDULE)
def today() -> str:
    """Today at a glance: the chairs and the arrivals."""
    clinic = current_clinic()
    return _day_page(clinic.today(utcnow()))


@bp.get("/day")
@requires(Permission.VIEW_SCHEDULE)
def day() -> str:
    """Any day, `?date=YYYY-MM-DD`."""
    clinic = current_clinic()
    return _day_page(date_arg("date") or clinic.today(utcnow()))


def _day_page(day: date) -> str:
    clinic = current_clinic()
    zone = clinic.zone
    entries = day_entries(clinic, day)
    hours = db.session.scalars(select(OpeningHours).where(OpeningHours.clinic_id == clinic.id)).all()
    grid = build_grid(day, zone, list(hours), clinic_chairs(clinic), entries)
    mark_freed(grid, cancelled_entries(clinic, day))
    return render_template(
        "dashboard/day.html",
        **visit_context(clinic, entries),
        day=day,
        today=clinic.today(utcnow()),
        grid=grid,
        entries=entries,
        flag_labels=FLAG_LABELS,
        previous=day - timedelta(days=1),
        next=day + timedelta(days=1),
        now=utcnow(),
    )


@bp.get("/week")
@requires(Permission.VIEW_SCHEDULE)
def week() -> str:
    """Seven days from `?start=` (default: this week's Monday)."""
    clinic = current_clinic()
    today = clinic.today(utcnow())
    start = date_arg("start") or today - timedelta(days=today.weekday())
    zone = clinic.zone
    entries = entries_between(clinic, window_of(zone, start, 7))
    days: dict[date, list] = {start + timedelta(days=i): [] for i in range(7)}
    for entry in entries:
        days[clinic.today(entry.appointment.starts_at)].append(entry)
    return render_template(
        "dashboard/week.html",
        days=days,
        start=start,
        today=today,
        previous=start - timedelta(days=7),
        next=start + timedelta(days=7),
    )
