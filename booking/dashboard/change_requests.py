"""A patient's change request answered where staff work: the appointment page and the day sheet."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.appointments import render_appointment
from booking.dashboard.context import actor_id, current_clinic, requires, scoped_or_404
from booking.dashboard.forms import DeclineChangeForm, MoveToAskedForm
from booking.dashboard.free_times import slot_taken_message
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.models import Appointment, ChangeRequest, utcnow
from booking.operations.booking import InvalidBooking, SlotTaken
from booking.operations.change_requests import ChangeAnswerRefused, decline, move_to_asked


def _back(appointment: Appointment, message: str) -> Response:
    flash(message, "success")
    if request.form.get("back") == "day":
        day = current_clinic().today(appointment.starts_at)
        return redirect(url_for("dashboard.day", date=day.isoformat(), _anchor=f"visit-{appointment.id}"), 303)
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)


@bp.post("/change-requests/<int:change_id>/move")
@requires(Permission.SCHEDULE)
def change_request_move(change_id: int) -> Response | tuple[str, int]:
    """Move the visit to the time the patient asked; if it is gone, say so with the nearest free times."""
    item = scoped_or_404(ChangeRequest, change_id)
    appointment = scoped_or_404(Appointment, item.appointment_id)
    form = MoveToAskedForm()
    if not form.validate_on_submit():
        flash("That time was not understood.")
        return render_appointment(appointment, 400)
    try:
        move_to_asked(current_clinic(), item, form.start.instant, actor_id=actor_id(), now=utcnow())
    except SlotTaken as error:
        db.session.rollback()
        flash("The time the patient asked for is no longer free. " + slot_taken_message(error))
        return render_appointment(appointment, 409, taken=error)
    except (InvalidBooking, ChangeAnswerRefused) as error:
        db.session.rollback()
        flash(f"Not moved: {error}.")
        return render_appointment(appointment, 409)
    db.session.commit()
    return _back(appointment, "Moved to the time the patient asked for; they will get an email with the new time.")


@bp.post("/change-requests/<int:change_id>/decline")
@requires(Permission.SCHEDULE)
def change_request_decline(change_id: int) -> Response | tuple[str, int]:
    """Decline the patient's change request with a message; they are emailed and keep their time."""
    item = scoped_or_404(ChangeRequest, change_id)
    appointment = scoped_or_404(Appointment, item.appointment_id)
    form = DeclineChangeForm()
    if not form.validate_on_submit():
        flash("Not declined: " + " ".join(form.message.errors or ["try again."]))
        return render_appointment(appointment, 422)
    try:
        decline(current_clinic(), item, form.message.data, actor_id=actor_id(), now=utcnow())
    except ChangeAnswerRefused as error:
        db.session.rollback()
        flash(f"Not declined: {error}.")
        return render_appointment(appointment, 409)
    db.session.commit()
    return _back(appointment, "Change request declined; the patient will get your message by email.")
