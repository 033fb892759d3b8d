"""Merge a duplicate request into the patient it matches, from the queue or the request's page."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires, scoped_or_404
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.models import ConsultationRequest
from booking.operations.duplicates import AlreadyLinked, merge_into_patient
from booking.queries.duplicates import find_duplicates


@bp.post("/requests/<int:request_id>/merge")
@requires(Permission.SCHEDULE)
def request_merge(request_id: int) -> Response:
    """Link the request to the patient it duplicates (only that one), instead of a new record."""
    item = scoped_or_404(ConsultationRequest, request_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    clinic = current_clinic()
    duplicate = find_duplicates(clinic, [item]).get(item.id)
    wanted = request.form.get("patient_id", type=int)
    if duplicate is None or duplicate.patient is None or duplicate.patient.id != wanted:
        flash("That request no longer matches that patient; nothing was merged.")
        return redirect(url_for("dashboard.request_detail", request_id=item.id), 303)
    try:
        merge_into_patient(clinic, item, duplicate.patient, actor_id=actor_id())
    except AlreadyLinked as error:
        db.session.rollback()
        flash(f"Not merged: {error}.")
        return redirect(url_for("dashboard.request_detail", request_id=item.id), 303)
    db.session.commit()
    flash(f"Request merged into {duplicate.patient.full_name}'s record.", "success")
    back = request.form.get("back")
    if back == "queue":
        return redirect(url_for("dashboard.request_queue"), 303)
    return redirect(url_for("dashboard.request_detail", request_id=item.id), 303)
