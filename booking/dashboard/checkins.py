"""Check-ins for staff: the day sheet's status and urgent banner, the clinicians' queue and answers.

Front desk see only whether a visit's check-in is done, not yet done, or needs a clinician;
answers and scores need VIEW_HEALTH_ANSWERS, and every view of them is audited. A clinician
(REVIEW) acknowledges a flag with a POST, audited. None of this replaces clinical judgement.
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires, scoped_or_404
from booking.dashboard.score_chart import charts, value_of
from booking.domain.checkins import CheckinState
from booking.domain.permissions import Permission, can
from booking.domain.questionnaires import DEFINITIONS
from booking.extensions import db
from booking.forms import ActionForm
from booking.manage.instrument_text import WORDING
from booking.models import Appointment, CheckIn, Patient, Service, StaffUser, utcnow
from booking.operations.checkins import AlreadyAcknowledged, acknowledge, record_viewed
from booking.queries.checkins import checkin_states, flagged_checkins, patient_scores, responses_of
from booking.queries.schedule import Entry

STATE_TAGS = {
    CheckinState.DONE: ("Pre-visit check-in done", "ok"),
    CheckinState.NOT_YET: ("Pre-visit check-in not yet", ""),
    CheckinState.NEEDS_CLINICIAN: ("Check-in: needs a clinician", "alert"),
}


def _state_of(appointment: Appointment, entries: list[Entry] | None = None) -> CheckinState:
    """One visit's check-in state, loaded once per page for every visit of the page's list."""
    cache: dict[int, CheckinState] = g.setdefault("checkin_states", {})
    if appointment.id not in cache:
        ids = [e.appointment.id for e in entries] if entries else [appointment.id]
        cache.update(checkin_states(current_clinic().id, set(ids) | {appointment.id}))
    return cache[appointment.id]


@bp.before_request
def _forget_states() -> None:
    # Per request (an app context shared by several requests, as in tests, must not keep them).
    g.pop("checkin_states", None)
    g.pop("patient_scores", None)


@bp.context_processor
def checkin_helpers() -> dict[str, Any]:
    """`checkin_tag(appointment, entries)` for the status partial, `urgent_checkins()` for the banner."""
    return {
        "checkin_tag": lambda appointment, entries=None: STATE_TAGS[_state_of(appointment, entries)],
        "urgent_checkins": lambda: flagged_checkins(current_clinic().id, urgent_only=True) if "clinic" in g else [],
    }


@bp.get("/checkins/")
@requires(Permission.VIEW_HEALTH_ANSWERS)
def checkin_queue() -> str:
    """Check-ins waiting for a clinician: self-harm answers first, then medication changes (audited)."""
    flagged = flagged_checkins(current_clinic().id)
    if flagged:
        record_viewed(current_clinic(), actor_id(), "clinic", current_clinic().id,
                      queue=[f.checkin.id for f in flagged])
        db.session.commit()
    return render_template("dashboard/checkins.html", flagged=flagged)


@bp.get("/checkins/<int:checkin_id>")
@requires(Permission.VIEW_HEALTH_ANSWERS)
def checkin_detail(checkin_id: int) -> str:
    """One check-in's answers and scores (audited)."""
    checkin = scoped_or_404(CheckIn, checkin_id)
    appointment = scoped_or_404(Appointment, checkin.appointment_id)
    patient = scoped_or_404(Patient, checkin.patient_id)
    service = db.session.get(Service, appointment.service_id)
    record_viewed(current_clinic(), actor_id(), "appointment", appointment.id, checkin_id=checkin.id)
    db.session.commit()
    acknowledger = db.session.get(StaffUser, checkin.acknowledged_by_id) if checkin.acknowledged_by_id else None
    return render_template(
        "dashboard/checkin.html", checkin=checkin, appointment=appointment, patient=patient, service=service,
        responses=responses_of(checkin), wording=WORDING, definitions=DEFINITIONS, form=ActionForm(),
        acknowledger=acknowledger,
    )


@bp.post("/checkins/<int:checkin_id>/acknowledge")
@requires(Permission.REVIEW)
def checkin_acknowledge(checkin_id: int) -> Response:
    """A clinician has seen this check-in's flags (audited)."""
    checkin = scoped_or_404(CheckIn, checkin_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    user = db.session.get(StaffUser, actor_id())
    assert user is not None
    try:
        acknowledge(current_clinic(), checkin, user, utcnow())
        db.session.commit()
        flash("Acknowledged.")
    except AlreadyAcknowledged:
        db.session.rollback()
        flash("Already acknowledged by another clinician.")
    return redirect(url_for("dashboard.checkin_detail", checkin_id=checkin.id), 303)


def scores_for_patient_page(patient: Patient) -> dict[str, Any]:
    """The patient page's scores and charts, audited when there are any; empty for roles without access."""
    if not can(g.role, Permission.VIEW_HEALTH_ANSWERS):
        return {"score_points": [], "score_charts": []}
    points = patient_scores(current_clinic().id, patient.id)
    if points:
        record_viewed(current_clinic(), actor_id(), "patient", patient.id, scores=len(points))
    return {"score_points": points, "score_charts": charts(points), "score_value": value_of,
            "instrument_names": {i: d.name for i, d in DEFINITIONS.items()}}
