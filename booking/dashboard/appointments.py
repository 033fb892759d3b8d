"""One appointment: see it, move it, cancel it, mark arrival and outcome."""
from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires, scoped_or_404
from booking.dashboard.forms import BookTimeForm, CancelForm, StatusForm
from booking.dashboard.free_times import day_slots, moves_from, slot_taken_message
from booking.dashboard.query_args import date_arg
from booking.domain.appointment_flow import IllegalStatusChange, can_reschedule, can_set
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.models import (
    Appointment,
    AppointmentStatus,
    OutboxMessage,
    utcnow,
)
from booking.operations.appointment_status import confirm_driver, set_status
from booking.operations.booking import Booker, InvalidBooking, SlotTaken, reschedule

# Status buttons staff see; cancelling has its own form with a reason.
STATUS_ACTIONS = (
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)


def _render(appointment: Appointment, status: int = 200, cancel_form: CancelForm | None = None,
            taken: SlotTaken | None = None) -> tuple[str, int]:
    clinic = current_clinic()
    service = appointment.service
    day = date_arg("day") or max(clinic.today(appointment.starts_at), clinic.today(utcnow()))
    movable = can_reschedule(appointment)
    now = utcnow()
    return render_template(
        "dashboard/appointment.html",
        appt=appointment,
        appt_day=clinic.today(appointment.starts_at),
        service=service,
        patient=appointment.patient,
        chair=appointment.chair,
        can_reschedule=movable,
        day=day,
        slots=moves_from(appointment, day_slots(clinic, service, day, ignore_id=appointment.id)) if movable else [],
        actions=[s for s in STATUS_ACTIONS if can_set(appointment, s, clinic, now)],
        can_cancel=can_set(appointment, AppointmentStatus.CANCELLED, clinic, now),
        cancel_form=cancel_form or CancelForm(),
        key=secrets.token_urlsafe(16),
        taken=taken,
        messages=db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.clinic_id == clinic.id, OutboxMessage.appointment_id == appointment.id)
            .order_by(OutboxMessage.due_at)
        ).all(),
    ), status


@bp.get("/appointments/<int:appointment_id>")
@requires(Permission.VIEW_SCHEDULE)
def appointment_detail(appointment_id: int) -> tuple[str, int]:
    """An appointment with its actions."""
    appointment = scoped_or_404(Appointment, appointment_id)
    return _render(appointment)


@bp.post("/appointments/<int:appointment_id>/reschedule")
@requires(Permission.SCHEDULE)
def appointment_reschedule(appointment_id: int) -> Response | tuple[str, int]:
    """Move the appointment to the chosen free time."""
    appointment = scoped_or_404(Appointment, appointment_id)
    form = BookTimeForm()
    if not form.validate_on_submit():
        abort(400)
    if appointment.starts_at == form.start.instant:
        # Already there: a double submit of the same move changes nothing.
        return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)
    try:
        reschedule(current_clinic(), appointment, form.start.instant, form.chair_id.data,
                   booker=Booker.STAFF, actor_id=actor_id(), now=utcnow())
        db.session.commit()
    except SlotTaken as error:
        db.session.rollback()
        flash(slot_taken_message(error))
        return _render(appointment, 409, taken=error)
    except InvalidBooking as error:
        db.session.rollback()
        flash(f"Not moved: {error}")
        return _render(appointment, 409)
    flash("Appointment moved; the patient will be told.", "success")
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)


@bp.post("/appointments/<int:appointment_id>/cancel")
@requires(Permission.SCHEDULE)
def appointment_cancel(appointment_id: int) -> Response | tuple[str, int]:
    """Cancel, with a reason; the chair is freed and the patient told."""
    appointment = scoped_or_404(Appointment, appointment_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _render(appointment, 422, cancel_form=form)
    try:
        set_status(current_clinic(), appointment, AppointmentStatus.CANCELLED, actor_id=actor_id(),
                   now=utcnow(), reason=form.reason.data)
    except IllegalStatusChange as error:
        db.session.rollback()
        flash(str(error))
        return _render(appointment, 409)
    db.session.commit()
    flash("Appointment cancelled; the patient will be told.", "success")
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)


@bp.post("/appointments/<int:appointment_id>/status")
@requires(Permission.SCHEDULE)
def appointment_status(appointment_id: int) -> Response | tuple[str, int]:
    """Mark confirmed, arrived, completed or no-show."""
    appointment = scoped_or_404(Appointment, appointment_id)
    form = StatusForm()
    try:
        wanted = AppointmentStatus(form.status.data)
        if not form.validate_on_submit() or wanted not in STATUS_ACTIONS:
            raise ValueError
        set_status(current_clinic(), appointment, wanted, actor_id=actor_id(), now=utcnow())
    except (ValueError, IllegalStatusChange):
        db.session.rollback()
        flash("That status change is not allowed for this appointment now.")
        return _render(appointment, 409)
    db.session.commit()
    flash(f"Marked {wanted.value.replace('_', ' ')}.", "success")
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)


@bp.post("/appointments/<int:appointment_id>/driver")
@requires(Permission.SCHEDULE)
def appointment_driver(appointment_id: int) -> Response:
    """Record that the patient's driver is confirmed (e.g. by phone)."""
    appointment = scoped_or_404(Appointment, appointment_id)
    if ActionForm().validate_on_submit() and confirm_driver(
        current_clinic(), appointment, actor_id=actor_id(), now=utcnow()
    ):
        db.session.commit()
        flash("Driver confirmed.", "success")
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)
