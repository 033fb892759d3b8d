"""One appointment: see it, move it, cancel it, mark arrival and outcome."""
from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires, scoped_or_404
from booking.dashboard.forms import BookTimeForm, CancelForm
from booking.dashboard.free_times import day_slots, moves_from, slot_taken_message
from booking.dashboard.query_args import date_arg
from booking.dashboard.visit_state import actions_for
from booking.domain.appointment_flow import UNDO_REASONS, IllegalStatusChange, can_reschedule, can_set
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    OutboxMessage,
    utcnow,
)
from booking.operations.appointment_status import set_status
from booking.operations.booking import Booker, InvalidBooking, SlotTaken, reschedule
from booking.queries.readiness import day_readiness, entry_of, infusions_relying_on


def render_appointment(appointment: Appointment, status: int = 200, cancel_form: CancelForm | None = None,
                       taken: SlotTaken | None = None) -> tuple[str, int]:
    """The appointment's page (with `status`; `taken` adds the nearest free times to move to)."""
    clinic = current_clinic()
    service = appointment.service
    day = date_arg("day") or max(clinic.today(appointment.starts_at), clinic.today(utcnow()))
    movable = can_reschedule(appointment)
    now = utcnow()
    ready = day_readiness(clinic, [entry_of(clinic, appointment)])
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
        acts=actions_for(clinic, appointment, service.needs_chair, now),
        undo_reasons=UNDO_REASONS,
        # Completing a consultation unlocks infusions: undoing it leaves those booked.
        infusions_after=infusions_relying_on(clinic, appointment) if service.kind.value == "consultation" else 0,
        change_request=ready.change_requests.get(appointment.id),
        asked=ready.asked_times(appointment.id),
        checks=ready.checks.get(appointment.id, ()),
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
    return render_appointment(appointment)


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
        return render_appointment(appointment, 409, taken=error)
    except InvalidBooking as error:
        db.session.rollback()
        flash(f"Not moved: {error}")
        return render_appointment(appointment, 409)
    flash("Appointment moved; the patient will be told.", "success")
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)


@bp.post("/appointments/<int:appointment_id>/cancel")
@requires(Permission.SCHEDULE)
def appointment_cancel(appointment_id: int) -> Response | tuple[str, int]:
    """Cancel, with a reason; the chair is freed and the patient told."""
    appointment = scoped_or_404(Appointment, appointment_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return render_appointment(appointment, 422, cancel_form=form)
    try:
        set_status(current_clinic(), appointment, AppointmentStatus.CANCELLED, actor_id=actor_id(),
                   now=utcnow(), reason=form.reason.data)
    except IllegalStatusChange as error:
        db.session.rollback()
        flash(str(error))
        return render_appointment(appointment, 409)
    db.session.commit()
    flash("Appointment cancelled; the patient will be told.", "success")
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)
