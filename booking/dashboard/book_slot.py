"""Book a free time picked on the day sheet: a chair and a start, then the patient and the service."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import IntegerField
from wtforms.validators import Optional

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, current_role, requires, scoped_or_404
from booking.dashboard.forms import BookTimeForm
from booking.dashboard.free_times import slot_taken_message
from booking.domain.permissions import Permission, can
from booking.extensions import db
from booking.models import Chair, Patient, Service, utcnow
from booking.operations.booking import Booker, BookingSpec, ConsultFirst, InvalidBooking, SlotTaken, book
from booking.queries.people import search_patients
from booking.validators import parse_instant


class BookSlotForm(BookTimeForm):
    """A time on a chair, for a patient: the same fields as any booking, plus who."""

    patient_id = IntegerField(validators=[Optional()])


def _chair_and_start(values: dict[str, str]) -> tuple[Chair, datetime]:
    chair_id = values.get("chair") or values.get("chair_id")
    if not chair_id or not str(chair_id).isdigit():
        abort(400)
    chair = scoped_or_404(Chair, int(chair_id))
    try:
        start = parse_instant(values.get("start"))
    except ValueError:
        abort(400)
    return chair, start


def _render(chair: Chair, start: datetime, status: int = 200, error: str | None = None,
            taken: SlotTaken | None = None, chosen_patient: int | None = None) -> tuple[str, int]:
    clinic = current_clinic()
    services = [s for s in clinic.services if s.active and s.chair_kind is chair.kind]
    q = (request.values.get("q") or "").strip()[:100]
    patients = search_patients(clinic, q) if q else []
    if chosen_patient is not None and all(p.id != chosen_patient for p in patients):
        patient = db.session.get(Patient, chosen_patient)
        if patient is not None and patient.clinic_id == clinic.id:
            patients.insert(0, patient)
    service_id = request.values.get("service_id", type=int)
    return render_template(
        "dashboard/book_slot.html",
        chair=chair,
        start=start,
        services=services,
        service_id=service_id,
        q=q,
        patients=patients,
        chosen_patient=chosen_patient,
        key=secrets.token_urlsafe(16),
        error=error,
        taken=taken,
        can_override=can(current_role(), Permission.OVERRIDE_CONSULT_FIRST),
    ), status


@bp.get("/book")
@requires(Permission.SCHEDULE)
def book_slot() -> tuple[str, int]:
    """Choose the patient (search) and the service for a chair's free time."""
    chair, start = _chair_and_start(request.args)
    return _render(chair, start, chosen_patient=request.args.get("patient_id", type=int))


@bp.post("/book")
@requires(Permission.SCHEDULE)
def book_slot_post() -> Response | tuple[str, int]:
    """Book it, through the one booking operation; a taken time gets the nearest free ones."""
    form = BookSlotForm()
    chair, start = _chair_and_start({"chair": str(form.chair_id.data or ""), "start": form.start.data or ""})
    if not form.validate_on_submit():
        abort(400)
    if form.patient_id.data is None or form.service_id.data is None:
        return _render(chair, start, 422, error="Choose a patient and a service, then book.",
                       chosen_patient=form.patient_id.data)
    patient = scoped_or_404(Patient, form.patient_id.data)
    service = scoped_or_404(Service, form.service_id.data)
    override = form.override_consult_first.data and can(current_role(), Permission.OVERRIDE_CONSULT_FIRST)
    try:
        appointment = book(
            current_clinic(),
            BookingSpec(service=service, patient=patient, start=start, booker=Booker.STAFF, chair_id=chair.id,
                        idempotency_key=form.key.data or None, override_consult_first=override),
            actor_id=actor_id(),
            now=utcnow(),
        )
        db.session.commit()
    except SlotTaken as error:
        db.session.rollback()
        return _render(chair, start, 409, error=slot_taken_message(error), taken=error, chosen_patient=patient.id)
    except (ConsultFirst, InvalidBooking) as error:
        db.session.rollback()
        return _render(chair, start, 409, error=f"Not booked: {error}", chosen_patient=patient.id)
    flash(f"Booked {patient.full_name}.", "success")
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)
