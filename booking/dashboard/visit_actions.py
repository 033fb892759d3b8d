"""Staff's moves on one visit (status, undo, driver), from its page or inline on the day sheet.

Each is a POST with CSRF. With `back=day` the answer returns to the day sheet at the
visit (`#visit-<id>`); asked by the day sheet's script (`X-Requested-With: fetch`), it is
the visit's fragment instead, which the script puts in place of the old one.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.appointments import render_appointment
from booking.dashboard.context import actor_id, current_clinic, requires, scoped_or_404
from booking.dashboard.forms import DriverConfirmForm, StatusForm, UndoForm
from booking.dashboard.visit_state import STATUS_BUTTONS, visit_context
from booking.domain.appointment_flow import (
    IllegalStatusChange,
    undo_needs_reason,
)
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.models import Appointment, AppointmentStatus, utcnow
from booking.operations.appointment_status import (
    confirm_driver,
    set_status,
    unconfirm_driver,
    undo_status,
)
from booking.queries.readiness import entry_of
from booking.queries.schedule import add_flags


def _inline() -> bool:
    return request.form.get("back") == "day"


def visit_fragment(appointment: Appointment, status: int = 200, message: str = "") -> tuple[str, int]:
    """The visit as the day sheet shows it (arrivals list and grid), for the script to put in place."""
    clinic = current_clinic()
    entries = [entry_of(clinic, appointment)]
    add_flags(clinic, entries)
    return render_template("dashboard/_visit_fragment.html", entries=entries, message=message,
                           **visit_context(clinic, entries)), status


def _answer(appointment: Appointment, message: str, status: int = 303) -> Response | tuple[str, int]:
    """Back where the move was made: the visit's page, the day sheet at the visit, or its fragment."""
    if request.headers.get("X-Requested-With") == "fetch" and _inline():
        return visit_fragment(appointment, 200 if status == 303 else status, message)
    if status >= 400 and not _inline():
        flash(message)
        return render_appointment(appointment, status)
    flash(message, "success")
    if _inline():
        day = current_clinic().today(appointment.starts_at)
        return redirect(url_for("dashboard.day", date=day.isoformat(), _anchor=f"visit-{appointment.id}"), 303)
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)


@bp.post("/appointments/<int:appointment_id>/status")
@requires(Permission.SCHEDULE)
def appointment_status(appointment_id: int) -> Response | tuple[str, int]:
    """Mark confirmed, arrived, completed or no-show, when the clinic's rules allow it now."""
    appointment = scoped_or_404(Appointment, appointment_id)
    form = StatusForm()
    try:
        wanted = AppointmentStatus(form.status.data)
        if not form.validate_on_submit() or wanted not in STATUS_BUTTONS:
            raise ValueError
        set_status(current_clinic(), appointment, wanted, actor_id=actor_id(), now=utcnow())
    except (ValueError, IllegalStatusChange):
        db.session.rollback()
        return _answer(appointment, "That status change is not allowed for this appointment now.", 409)
    db.session.commit()
    return _answer(appointment, f"Marked {wanted.value.replace('_', ' ')}. You can undo it today.")


@bp.post("/appointments/<int:appointment_id>/undo")
@requires(Permission.SCHEDULE)
def appointment_undo(appointment_id: int) -> Response | tuple[str, int]:
    """Take the last status change back one step (a reason for completed or no-show)."""
    appointment = scoped_or_404(Appointment, appointment_id)
    form = UndoForm()
    undone = appointment.status
    if not form.validate_on_submit():
        return _answer(appointment, "Choose why this is undone.", 422)
    try:
        now_status = undo_status(current_clinic(), appointment, actor_id=actor_id(), now=utcnow(),
                                 reason=form.reason.data or "")
    except IllegalStatusChange as error:
        db.session.rollback()
        message = ("Choose why this is undone." if undo_needs_reason(undone) and not form.reason.data
                   else f"Not undone: {error}.")
        return _answer(appointment, message, 409)
    db.session.commit()
    return _answer(appointment, f"Undone: {undone.value.replace('_', ' ')} is now "
                                f"{now_status.value.replace('_', ' ')}.")


@bp.post("/appointments/<int:appointment_id>/driver")
@requires(Permission.SCHEDULE)
def appointment_driver(appointment_id: int) -> Response | tuple[str, int]:
    """Record that the patient's driver is confirmed: with the driver on file, or by phone with someone named."""
    appointment = scoped_or_404(Appointment, appointment_id)
    form = DriverConfirmForm()
    if not form.validate_on_submit():
        return _answer(appointment, "Not saved: " + " ".join(form.confirmed_with.errors or ["try again."]), 422)
    try:
        changed = confirm_driver(current_clinic(), appointment, actor_id=actor_id(), now=utcnow(),
                                 confirmed_with=form.confirmed_with.data or "")
    except IllegalStatusChange:
        db.session.rollback()
        return _answer(appointment, "No driver is recorded: type whom you confirmed the driver with by phone.",
                       422)
    db.session.commit()
    return _answer(appointment, "Driver confirmed." if changed else "The driver was already confirmed.")


@bp.post("/appointments/<int:appointment_id>/driver/undo")
@requires(Permission.SCHEDULE)
def appointment_driver_undo(appointment_id: int) -> Response | tuple[str, int]:
    """Take "driver confirmed" back."""
    appointment = scoped_or_404(Appointment, appointment_id)
    if ActionForm().validate_on_submit() and unconfirm_driver(
        current_clinic(), appointment, actor_id=actor_id(), now=utcnow()
    ):
        db.session.commit()
        return _answer(appointment, "Driver no longer marked confirmed.")
    return _answer(appointment, "The driver was not marked confirmed.", 409)
