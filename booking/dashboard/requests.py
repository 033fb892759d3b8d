"""The request queue, one request, and what staff do with it."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import load_only, selectinload
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
from booking.dashboard.forms import BookTimeForm, ReviewForm, StatusForm
from booking.dashboard.free_times import day_slots, slot_taken_message
from booking.dashboard.query_args import date_arg, page_arg
from booking.domain.permissions import Permission, can
from booking.domain.request_flow import MANUAL_MOVES, IllegalTransition, can_move, can_schedule
from booking.extensions import db
from booking.models import (
    Appointment,
    AuditAction,
    Canceller,
    ChangeRequest,
    ChangeRequestStatus,
    Clinic,
    ConsultationRequest,
    Patient,
    RequestStatus,
    ReviewDecision,
    Service,
    utcnow,
)
from booking.operations import audit
from booking.operations.booking import Booker, ConsultFirst, InvalidBooking, SlotTaken
from booking.operations.requests import mark_change_request_done, set_request_status
from booking.operations.scheduling import NotFlagged, record_review, schedule_request
from booking.queries.duplicates import find_duplicates

OPEN = (RequestStatus.NEW, RequestStatus.NEEDS_REVIEW, RequestStatus.CONTACTED)
PAGE_SIZE = 50
# How long appointments cancelled by patients stay in the queue's "Patient changes".
PATIENT_CANCELLED_DAYS = 14
REVIEW_CHOICES = [
    SelectChoice(ReviewDecision.CLEARED.value, "Cleared for consultation"),
    SelectChoice(ReviewDecision.NEEDS_CALL.value, "Needs a call first"),
    SelectChoice(ReviewDecision.DECLINED.value, "Declined"),
]


@bp.get("/requests/")
@requires(Permission.VIEW_SCHEDULE)
def request_queue() -> str:
    """Requests by status (default: the open ones), newest flagged first."""
    clinic = current_clinic()
    wanted = request.args.get("status", "open")
    query = select(ConsultationRequest).where(ConsultationRequest.clinic_id == clinic.id)
    if wanted == "open":
        query = query.where(ConsultationRequest.status.in_(OPEN))
    elif wanted != "all":
        try:
            query = query.where(ConsultationRequest.status == RequestStatus(wanted))
        except ValueError:
            abort(400)
    if request.args.get("flag") == "review":
        query = query.where(ConsultationRequest.needs_clinician_review.is_(True))
    page = page_arg()
    rows = db.session.scalars(
        query.options(
            # Only what the list shows: no answers, notes or screening details.
            load_only(
                ConsultationRequest.created_at, ConsultationRequest.full_name, ConsultationRequest.service_id,
                ConsultationRequest.status, ConsultationRequest.needs_clinician_review,
                ConsultationRequest.review_decision, ConsultationRequest.call_me,
                # For the duplicate check (the list shows only the match, not these).
                ConsultationRequest.email, ConsultationRequest.phone, ConsultationRequest.date_of_birth,
                ConsultationRequest.search_name, ConsultationRequest.patient_id,
                raiseload=True,  # a column the list starts showing must be added here, not lazy-loaded per row
            ),
            selectinload(ConsultationRequest.preferred_times),  # one query, not one per row
        )
        .order_by(ConsultationRequest.created_at.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    counts = dict(
        db.session.execute(
            select(ConsultationRequest.status, func.count())
            .where(ConsultationRequest.clinic_id == clinic.id)
            .group_by(ConsultationRequest.status)
        ).all()
    )
    services = {s.id: s for s in clinic.services}
    return render_template(
        "dashboard/queue.html",
        rows=rows[:PAGE_SIZE],
        has_more=len(rows) > PAGE_SIZE,
        page=page,
        wanted=wanted,
        flag=request.args.get("flag"),
        counts={s: counts.get(s, 0) for s in RequestStatus},
        open_count=sum(counts.get(s, 0) for s in OPEN),
        services=services,
        duplicates=find_duplicates(clinic, rows[:PAGE_SIZE]),
        **_patient_changes(clinic),
    )


def _patient_changes(clinic: Clinic) -> dict[str, Any]:
    """Open change requests, and appointments patients cancelled lately, from their own pages."""
    change_requests = db.session.execute(
        select(ChangeRequest, Appointment, Patient)
        .join(Appointment, Appointment.id == ChangeRequest.appointment_id)
        .join(Patient, Patient.id == Appointment.patient_id)
        .where(
            ChangeRequest.clinic_id == clinic.id,
            Appointment.clinic_id == clinic.id,
            ChangeRequest.status == ChangeRequestStatus.OPEN,
        )
        .order_by(ChangeRequest.created_at, ChangeRequest.id)
    ).all()
    cancelled = db.session.execute(
        select(Appointment.cancelled_at, Appointment, Patient)
        .join(Patient, Patient.id == Appointment.patient_id)
        .where(
            Appointment.clinic_id == clinic.id,
            Appointment.cancelled_at >= utcnow() - timedelta(days=PATIENT_CANCELLED_DAYS),
            Appointment.cancelled_by == Canceller.PATIENT,
        )
        .order_by(Appointment.cancelled_at.desc())
    ).all()
    return {
        "change_requests": [
            (item, appointment, patient, [datetime.fromisoformat(v) for v in item.preferred_times])
            for item, appointment, patient in change_requests
        ],
        "patient_cancelled": cancelled,
    }


@bp.post("/change-requests/<int:change_id>/done")
@requires(Permission.SCHEDULE)
def change_request_done(change_id: int) -> Response:
    """Mark a patient's change request as handled."""
    item = scoped_or_404(ChangeRequest, change_id)
    if mark_change_request_done(current_clinic(), item, actor_id=actor_id()):
        db.session.commit()
    flash("Change request marked done.", "success")
    return redirect(url_for("dashboard.request_queue"), 303)


def _render_detail(item: ConsultationRequest, status: int = 200, taken: SlotTaken | None = None) -> tuple[str, int]:
    clinic = current_clinic()
    service = db.session.get(Service, item.service_id)
    assert service is not None
    first = clinic.today(item.preferred_times[0].starts_at) if item.preferred_times else None
    today = clinic.today(utcnow())
    day = date_arg("day") or max(first or today, today)
    slots = day_slots(clinic, service, day)
    free_by_day = {day: {s.start for s in slots}}
    for preferred in item.preferred_times:
        local = clinic.today(preferred.starts_at)
        if local not in free_by_day:
            free_by_day[local] = {s.start for s in day_slots(clinic, service, local)}
    review_form = ReviewForm()
    review_form.decision.choices = REVIEW_CHOICES
    return render_template(
        "dashboard/request.html",
        item=item,
        service=service,
        day=day,
        slots=slots,
        preferred=[
            (p.starts_at, p.starts_at in free_by_day[clinic.today(p.starts_at)])
            for p in item.preferred_times
        ],
        key=secrets.token_urlsafe(16),
        moves=[s for s in RequestStatus if s in MANUAL_MOVES and can_move(item, s)],
        show_health=can(current_role(), Permission.VIEW_HEALTH_ANSWERS),
        can_review=can(current_role(), Permission.REVIEW) and item.needs_clinician_review,
        can_schedule=can_schedule(item),
        review_form=review_form,
        taken=taken,
        duplicate=find_duplicates(clinic, [item]).get(item.id),
    ), status


@bp.get("/requests/<int:request_id>")
@requires(Permission.VIEW_SCHEDULE)
def request_detail(request_id: int) -> tuple[str, int]:
    """One request, with its preferred times and the clinic's free times."""
    item = scoped_or_404(ConsultationRequest, request_id)
    audit.record(item.clinic_id, actor_id(), AuditAction.REQUEST_VIEWED, "consultation_request", item.id)
    db.session.commit()
    return _render_detail(item)


@bp.post("/requests/<int:request_id>/schedule")
@requires(Permission.SCHEDULE)
def request_schedule(request_id: int) -> Response | tuple[str, int]:
    """Book the request's consultation at the chosen time."""
    item = scoped_or_404(ConsultationRequest, request_id)
    form = BookTimeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        appointment = schedule_request(
            current_clinic(), item, form.start.instant, booker=Booker.STAFF, chair_id=form.chair_id.data,
            actor_id=actor_id(), now=utcnow(), idempotency_key=form.key.data or None,
        )
        db.session.commit()
    except SlotTaken as error:
        db.session.rollback()
        flash(slot_taken_message(error))
        return _render_detail(item, 409, error)
    except (IllegalTransition, InvalidBooking, ConsultFirst) as error:
        db.session.rollback()
        flash(f"Not scheduled: {error}")
        return _render_detail(item, 409)
    flash("Consultation booked.", "success")
    return redirect(url_for("dashboard.appointment_detail", appointment_id=appointment.id), 303)


@bp.post("/requests/<int:request_id>/status")
@requires(Permission.SCHEDULE)
def request_status(request_id: int) -> Response | tuple[str, int]:
    """Mark a request contacted, declined, withdrawn or back to new."""
    item = scoped_or_404(ConsultationRequest, request_id)
    form = StatusForm()
    try:
        wanted = RequestStatus(form.status.data)
        if not form.validate_on_submit():
            raise ValueError
        set_request_status(current_clinic(), item, wanted, actor_id=actor_id(), now=utcnow())
    except (ValueError, IllegalTransition):
        db.session.rollback()
        flash("That status change is not allowed for this request.")
        return _render_detail(item, 409)
    db.session.commit()
    flash(f"Request marked {wanted.value.replace('_', ' ')}.", "success")
    return redirect(url_for("dashboard.request_detail", request_id=item.id), 303)


@bp.post("/requests/<int:request_id>/review")
@requires(Permission.REVIEW)
def request_review(request_id: int) -> Response | tuple[str, int]:
    """Record a clinician's review decision."""
    item = scoped_or_404(ConsultationRequest, request_id)
    form = ReviewForm()
    form.decision.choices = REVIEW_CHOICES
    if not form.validate_on_submit():
        flash("Choose a decision.")
        return _render_detail(item, 422)
    try:
        record_review(current_clinic(), item, ReviewDecision(form.decision.data), form.note.data or "",
                      actor_id=actor_id(), now=utcnow())
    except NotFlagged as error:
        db.session.rollback()
        flash(str(error))
        return _render_detail(item, 409)
    db.session.commit()
    flash("Review recorded.", "success")
    return redirect(url_for("dashboard.request_detail", request_id=item.id), 303)
