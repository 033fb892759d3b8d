"""Clinic settings (admin only): opening hours and closures."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires, scoped_or_404
from booking.dashboard.settings.forms import (
    WEEKDAYS,
    ClosureDatesForm,
    ClosurePeriodForm,
    OpeningHoursForm,
)
from booking.dashboard.settings.views import INVALID, back_to, record_change, render_settings
from booking.domain.availability import day_bounds
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.models import (
    OCCUPYING_STATUSES,
    Appointment,
    AuditAction,
    Closure,
    OpeningHours,
    utcnow,
)


def overlapping(ranges: Sequence[OpeningHours], opens: time, closes: time) -> OpeningHours | None:
    """The first range that shares time with opens-closes; touching ends do not count."""
    return next((r for r in ranges if r.opens < closes and opens < r.closes), None)


def _hours_of(weekday: int) -> list[OpeningHours]:
    return list(db.session.scalars(
        select(OpeningHours).where(OpeningHours.clinic_id == current_clinic().id, OpeningHours.weekday == weekday)
    ))


def _render_hours(form: OpeningHoursForm | None = None, status: int = 200) -> tuple[str, int]:
    rows = db.session.scalars(
        select(OpeningHours)
        .where(OpeningHours.clinic_id == current_clinic().id)
        .order_by(OpeningHours.weekday, OpeningHours.opens)
    ).all()
    days = [(name, [r for r in rows if r.weekday == n]) for n, name in enumerate(WEEKDAYS)]
    return render_settings("hours.html", status, days=days, form=form or OpeningHoursForm())


@bp.get("/settings/hours")
@requires(Permission.MANAGE_SETTINGS)
def settings_hours() -> tuple[str, int]:
    """Opening hours, weekday by weekday."""
    return _render_hours()


@bp.post("/settings/hours/add")
@requires(Permission.MANAGE_SETTINGS)
def settings_hours_add() -> Response | tuple[str, int]:
    """Add an opening range to a weekday."""
    form = OpeningHoursForm()
    if not form.validate_on_submit():
        return _render_hours(form, INVALID)
    clash = overlapping(_hours_of(form.weekday.data), form.opens.data, form.closes.data)
    if clash is not None:
        form.opens.errors.append(
            f"This overlaps {clash.opens:%H:%M}–{clash.closes:%H:%M} on {WEEKDAYS[clash.weekday]}. "
            "Delete or change that range first."
        )
        return _render_hours(form, INVALID)
    row = OpeningHours(clinic_id=current_clinic().id, weekday=form.weekday.data,
                       opens=form.opens.data, closes=form.closes.data)
    db.session.add(row)
    db.session.flush()
    record_change(AuditAction.SETTINGS_HOURS_ADDED, hours_id=row.id, weekday=row.weekday,
                  opens=row.opens.isoformat("minutes"), closes=row.closes.isoformat("minutes"))
    db.session.commit()
    return back_to("settings_hours", f"Added {WEEKDAYS[row.weekday]} {row.opens:%H:%M}–{row.closes:%H:%M}.")


@bp.post("/settings/hours/<int:hours_id>/delete")
@requires(Permission.MANAGE_SETTINGS)
def settings_hours_delete(hours_id: int) -> Response:
    """Remove an opening range."""
    row = scoped_or_404(OpeningHours, hours_id)
    if not ActionForm().validate_on_submit():
        return back_to("settings_hours", "That form had expired. Please try again.")
    record_change(AuditAction.SETTINGS_HOURS_DELETED, hours_id=row.id, weekday=row.weekday,
                  opens=row.opens.isoformat("minutes"), closes=row.closes.isoformat("minutes"))
    message = f"Removed {WEEKDAYS[row.weekday]} {row.opens:%H:%M}–{row.closes:%H:%M}."
    db.session.delete(row)
    db.session.commit()
    return back_to("settings_hours", message)


def _starts(closure: Closure, zone: ZoneInfo) -> datetime:
    if closure.starts_at is not None:
        return closure.starts_at
    assert closure.start_date is not None
    return day_bounds(closure.start_date, zone).start


def _render_closures(
    dates_form: ClosureDatesForm | None = None,
    period_form: ClosurePeriodForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    clinic = current_clinic()
    zone = clinic.zone
    now = utcnow()
    rows = db.session.scalars(
        select(Closure).where(
            Closure.clinic_id == clinic.id,
            or_(Closure.end_date >= clinic.today(now), Closure.ends_at > now),
        )
    ).all()
    return render_settings(
        "closures.html",
        status,
        closures=sorted(rows, key=lambda c: _starts(c, zone)),
        dates_form=dates_form or ClosureDatesForm(prefix="dates"),
        period_form=period_form or ClosurePeriodForm(prefix="period", zone=zone),
    )


def _booked_between(starts: datetime, ends: datetime) -> int:
    """How many appointments still hold a chair during starts-ends."""
    return db.session.scalar(
        select(func.count()).select_from(Appointment).where(
            Appointment.clinic_id == current_clinic().id,
            Appointment.status.in_(OCCUPYING_STATUSES),
            Appointment.starts_at < ends,
            Appointment.ends_at > starts,
        )
    ) or 0


def _added_message(starts: datetime, ends: datetime) -> str:
    booked = _booked_between(starts, ends)
    if not booked:
        return "Closure added."
    # Closing does not cancel anything: someone has to call these patients.
    return f"Closure added. {booked} booked appointment(s) fall in it and were not cancelled: please move them."


@bp.get("/settings/closures")
@requires(Permission.MANAGE_SETTINGS)
def settings_closures() -> tuple[str, int]:
    """Current and upcoming closures, and forms to add one."""
    return _render_closures()


@bp.post("/settings/closures/dates")
@requires(Permission.MANAGE_SETTINGS)
def settings_closure_add_dates() -> Response | tuple[str, int]:
    """Close on whole local dates, first and last included."""
    form = ClosureDatesForm(prefix="dates")
    if not form.validate_on_submit():
        return _render_closures(dates_form=form, status=INVALID)
    first, last = form.start_date.data, form.end_date.data
    assert first is not None and last is not None  # both required by the form
    closure = Closure(clinic_id=current_clinic().id, start_date=first, end_date=last, reason=form.reason.data or "")
    db.session.add(closure)
    db.session.flush()
    record_change(AuditAction.SETTINGS_CLOSURE_ADDED, closure_id=closure.id,
                  start_date=first.isoformat(), end_date=last.isoformat())
    zone = current_clinic().zone
    message = _added_message(day_bounds(first, zone).start, day_bounds(last, zone).end)
    db.session.commit()
    return back_to("settings_closures", message)


@bp.post("/settings/closures/period")
@requires(Permission.MANAGE_SETTINGS)
def settings_closure_add_period() -> Response | tuple[str, int]:
    """Close for an exact period typed in the clinic's local time (stored in UTC)."""
    form = ClosurePeriodForm(prefix="period", zone=current_clinic().zone)
    if not form.validate_on_submit():
        return _render_closures(period_form=form, status=INVALID)
    assert form.starts_utc is not None and form.ends_utc is not None
    closure = Closure(clinic_id=current_clinic().id, starts_at=form.starts_utc,
                      ends_at=form.ends_utc, reason=form.reason.data or "")
    db.session.add(closure)
    db.session.flush()
    record_change(AuditAction.SETTINGS_CLOSURE_ADDED, closure_id=closure.id,
                  starts_at=form.starts_utc.isoformat(), ends_at=form.ends_utc.isoformat())
    message = _added_message(form.starts_utc, form.ends_utc)
    db.session.commit()
    return back_to("settings_closures", message)


@bp.post("/settings/closures/<int:closure_id>/delete")
@requires(Permission.MANAGE_SETTINGS)
def settings_closure_delete(closure_id: int) -> Response:
    """Remove a closure: the clinic is open then after all."""
    closure = scoped_or_404(Closure, closure_id)
    if not ActionForm().validate_on_submit():
        return back_to("settings_closures", "That form had expired. Please try again.")
    record_change(AuditAction.SETTINGS_CLOSURE_DELETED, closure_id=closure.id)
    db.session.delete(closure)
    db.session.commit()
    return back_to("settings_closures", "Closure removed.")
