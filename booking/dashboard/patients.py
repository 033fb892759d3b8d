"""Patients: search, a patient's page with history, booking for them."""
from __future__ import annotations

import secrets

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.checkins import scores_for_patient_page
from booking.dashboard.context import (
    actor_id,
    current_clinic,
    current_role,
    requires,
    scoped_or_404,
)
from booking.dashboard.forms import BookTimeForm
from booking.dashboard.free_times import day_slots, slot_taken_message
from booking.dashboard.query_args import date_arg
from booking.domain.permissions import Permission, can
from booking.extensions import db
from booking.models import (
    Appointment,
    AuditAction,
    ConsultationRequest,
    Patient,
    Service,
    ServiceKind,
    utcnow,
)
from booking.operations import audit
from booking.operations.booking import (
    Booker,
    BookingSpec,
    ConsultFirst,
    InvalidBooking,
    SlotTaken,
    book,
)
from booking.queries.eligibility import eligibility
from booking.queries.people import search_patients

SEARCH_LIMIT = 50


def first_consultation(services: list[Service]) -> Service | None:
    """The consultation to book first: in person before video, in the clinic's order."""
    consults = [s for s in services if s.kind is ServiceKind.CONSULTATION]
    return next((s for s in consults if s.needs_chair is False and s.mode.value == "in_person"), None) or (
        consults[0] if consults else None)


@bp.get("/patients/")
@requires(Permission.VIEW_SCHEDULE)
def patient_search() -> str:
    """Find patients by name (accents and a typo forgiven), email, phone or date of birth."""
    clinic = current_clinic()
    q = (request.args.get("q") or "").strip()[:100]
    if q:
        patients = search_patients(clinic, q)
    else:
        patients = list(db.session.scalars(
            select(Patient).where(Patient.clinic_id == clinic.id).order_by(Patient.created_at.desc()).limit(SEARCH_LIMIT)
        ))
    return render_template("dashboard/patients.html", q=q, patients=patients, limit=SEARCH_LIMIT)


def _render_patient(patient: Patient, status: int = 200, taken: SlotTaken | None = None) -> tuple[str, int]:
    clinic = current_clinic()
    services = [s for s in clinic.services if s.active]
    elig = eligibility(patient)
    consult_service = first_consultation(services)
    service_id = request.args.get("service", type=int) or request.form.get("service_id", type=int)
    default = consult_service if not elig.may_have_infusions and consult_service else (services[0] if services else None)
    service = next((s for s in services if s.id == service_id), default)
    override = request.args.get("override") == "1" and can(current_role(), Permission.OVERRIDE_CONSULT_FIRST)
    # Never offer infusion times the booking would refuse.
    refused = service is not None and service.kind is ServiceKind.INFUSION and not elig.may_have_infusions
    day = date_arg("day") or clinic.today(utcnow())
    appointments = db.session.execute(
        select(Appointment, Service)
        .join(Service, Service.id == Appointment.service_id)
        .where(Appointment.clinic_id == clinic.id, Appointment.patient_id == patient.id)
        .order_by(Appointment.starts_at.desc())
    ).all()
    requests = db.session.scalars(
        select(ConsultationRequest).where(
            ConsultationRequest.clinic_id == clinic.id, ConsultationRequest.patient_id == patient.id
        )
    ).all()
    return render_template(
        "dashboard/patient.html",
        patient=patient,
        appointments=appointments,
        requests=requests,
        services=services,
        service=service,
        day=day,
        slots=day_slots(clinic, service, day) if service and not (refused and not override) else [],
        elig=elig,
        consult_service=consult_service,
        refused=refused and not override,
        key=secrets.token_urlsafe(16),
        can_override=can(current_role(), Permission.OVERRIDE_CONSULT_FIRST),
        override=override,
        taken=taken,
        **g.get("patient_scores", {"score_points": [], "score_charts": []}),
    ), status


@bp.get("/patients/<int:patient_id>")
@requires(Permission.VIEW_SCHEDULE)
def patient_detail(patient_id: int) -> tuple[str, int]:
    """A patient's details, appointments and requests; book for them."""
    patient = scoped_or_404(Patient, patient_id)
    audit.record(patient.clinic_id, actor_id(), AuditAction.PATIENT_VIEWED, "patient", patient.id)
    g.patient_scores = scores_for_patient_page(patient)  # audited with the view, for clinicians only
    db.session.commit()
    return _render_patient(patient)


@bp.post("/patients/<int:patient_id>/book")
@requires(Permission.SCHEDULE)
def patient_book(patient_id: int) -> Response | tuple[str, int]:
    """Book a service for this patient at the chosen time."""
    patient = scoped_or_404(Patient, patient_id)
    form = BookTimeForm()
    if not form.validate_on_submit() or form.service_id.data is None:
        abort(400)
    service = scoped_or_404(Service, form.service_id.data)
    override = form.override_consult_first.data and can(current_role(), Permission.OVERRIDE_CONSULT_FIRST)
    try:
        appointment = book(
            current_clinic(),
            BookingSpec(service=service, patient=patient, start=form.start.instant, booker=Booker.STAFF,
                        chair_id=form.chair_id.data,
                        idempotency_key=form.key.data or None, override_consult_first=override),
            actor_id=actor_id(),
            now=utcnow(),
        )
        db.session.commit()
    except SlotTaken as error:
        db.session.rollback()
        flash(slot_taken_message(error))
        return _render_patient(patient, 409, error)
    except (ConsultFirst, InvalidBooking) as error:
        db.session.rollback()
        flash(f"Not booked: {error}")
        return _render_patient(patient, 409)
    flash("Booked.", "success")
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)
