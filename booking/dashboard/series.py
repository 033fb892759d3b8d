"""Booking an infusion series: propose a plan, let staff adjust it, book all or nothing."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from booking.dashboard import bp
from booking.dashboard.context import (
    actor_id,
    current_clinic,
    current_role,
    requires,
    scoped_or_404,
)
from booking.dashboard.forms import SeriesBookForm, SeriesPlanForm
from booking.dashboard.free_times import slot_taken_message
from booking.dashboard.patients import first_consultation
from booking.domain.availability import local_instant
from booking.domain.permissions import Permission, can
from booking.domain.series import (
    PlannedSession,
    SeriesImpossible,
    SeriesRules,
    plan_series,
)
from booking.extensions import db
from booking.models import Patient, Service, utcnow
from booking.operations.booking import ConsultFirst, InvalidBooking
from booking.operations.series_booking import SeriesConflict, book_series
from booking.queries.availability import find_slots
from booking.queries.eligibility import eligibility

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _plan_form() -> SeriesPlanForm:
    clinic = current_clinic()
    form = SeriesPlanForm(request.args if "service_id" in request.args else None)
    form.service_id.choices = [SelectChoice(s.id, s.name) for s in clinic.services if s.active and s.needs_chair]
    form.weekdays.choices = [SelectChoice(i, name) for i, name in enumerate(WEEKDAYS)]
    if form.first_day.data is None:
        form.first_day.data = clinic.today(utcnow()) + timedelta(days=1)
    return form


def _override() -> bool:
    """A clinician planning anyway (`?override=1`), recorded in the audit log if booked."""
    return request.values.get("override") == "1" and can(current_role(), Permission.OVERRIDE_CONSULT_FIRST)


def _render(patient: Patient, form: SeriesPlanForm, plan: list[datetime], status: int = 200,
            problem: str | None = None) -> tuple[str, int]:
    elig = eligibility(patient)
    return render_template(
        "dashboard/series.html", patient=patient, form=form, plan=plan, problem=problem,
        book_form=SeriesBookForm(), can_override=can(current_role(), Permission.OVERRIDE_CONSULT_FIRST),
        elig=elig, consult_service=first_consultation([s for s in current_clinic().services if s.active]),
        override=_override(),
    ), status


@bp.get("/patients/<int:patient_id>/series")
@requires(Permission.SCHEDULE)
def patient_series(patient_id: int) -> tuple[str, int]:
    """The series form; with its fields filled in, a proposed conflict-free plan."""
    patient = scoped_or_404(Patient, patient_id)
    form = _plan_form()
    if "service_id" not in request.args:
        return _render(patient, form, [])
    if not form.validate():
        return _render(patient, form, [], 422)
    if not eligibility(patient).may_have_infusions and not _override():
        # Proposing sessions the booking will refuse wastes the front desk's time: say why first.
        return _render(patient, form, [], 409, "No plan proposed: this patient cannot have infusions yet.")
    clinic = current_clinic()
    service = scoped_or_404(Service, form.service_id.data)
    rules = SeriesRules(
        count=form.count.data, within_days=form.within_days.data, min_gap_days=form.min_gap_days.data,
        weekdays=frozenset(form.weekdays.data or ()), earliest=form.earliest.data, latest=form.latest.data,
    )
    slots = find_slots(clinic, service, form.first_day.data, rules.within_days, utcnow(), staff=True)
    try:
        plan = plan_series(slots, rules, form.first_day.data, clinic.zone)
    except SeriesImpossible as error:
        return _render(patient, form, [], 409, f"Only {error.found} of {error.wanted} sessions fit. "
                       "Widen the window, allow more weekdays or times, or shorten the gap.")
    return _render(patient, form, [s.start for s in plan])


@bp.post("/patients/<int:patient_id>/series")
@requires(Permission.SCHEDULE)
def patient_series_book(patient_id: int) -> Response | tuple[str, int]:
    """Book the confirmed sessions: every one, or none of them."""
    patient = scoped_or_404(Patient, patient_id)
    clinic = current_clinic()
    zone = clinic.zone
    book_form = SeriesBookForm()
    form = _plan_form()
    if not book_form.validate_on_submit():
        return _render(patient, form, [], 400, "The series form was incomplete; please plan it again.")
    service = scoped_or_404(Service, book_form.service_id.data)
    starts = []
    for value in book_form.sessions.data or []:
        try:
            naive = datetime.fromisoformat(value)
        except ValueError:
            naive = None
        moment = local_instant(naive.date(), naive.time(), zone) if naive and naive.tzinfo is None else None
        if moment is None:
            return _render(patient, form, [], 422, f"“{value}” is not a valid local date and time.")
        starts.append(moment)
    if not starts:
        return _render(patient, form, [], 422, "There are no sessions to book.")
    override = book_form.override_consult_first.data and can(current_role(), Permission.OVERRIDE_CONSULT_FIRST)
    try:
        booked = book_series(clinic, patient, service, [PlannedSession(s) for s in starts],
                             actor_id=actor_id(), now=utcnow(), override_consult_first=override)
        db.session.commit()
    except SeriesConflict as error:
        db.session.rollback()
        message = f"Nothing was booked. Session {error.index + 1}: {slot_taken_message(error.cause)}"
        return _render(patient, form, starts, 409, message)
    except (ConsultFirst, InvalidBooking) as error:
        db.session.rollback()
        return _render(patient, form, starts, 409, f"Nothing was booked: {error}")
    flash(f"Booked {len(booked)} sessions.", "success")
    return redirect(url_for("dashboard.patient_detail", patient_id=patient.id), 303)
