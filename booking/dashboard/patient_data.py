"""A patient's rights, for admins: a copy of their data (JSON or CSV) and erasure. Both audited."""
from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires, scoped_or_404
from booking.dashboard.export import csv_line
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.models import Appointment, AuditAction, ConsultationRequest, Patient, utcnow
from booking.operations import audit
from booking.operations.patient_data import erase_patient
from booking.queries.patient_data import export_rows, patient_export
from booking.validators import strip

CONFIRM_WORD = "ERASE"


class EraseForm(FlaskForm):
    """Erasure is confirmed by typing a word, with the reason kept in the audit log."""

    confirm = StringField(f"Type {CONFIRM_WORD} to confirm", filters=[strip],
                          validators=[DataRequired(f"Type {CONFIRM_WORD} to confirm.")])
    reason = StringField("Reason (for the audit log, no health details)", filters=[strip],
                         validators=[DataRequired("Give a reason, e.g. the patient's request of a date."),
                                     Length(max=200)])

    def validate_confirm(self, field: StringField) -> None:
        if (field.data or "").upper() != CONFIRM_WORD:
            from wtforms.validators import ValidationError

            raise ValidationError(f"Type {CONFIRM_WORD} to confirm.")


@bp.post("/patients/<int:patient_id>/export")
@requires(Permission.PATIENT_DATA)
def patient_data_export(patient_id: int) -> Response:
    """Everything held about the patient, as JSON or CSV (record, id, field, value)."""
    patient = scoped_or_404(Patient, patient_id)
    kind = request.form.get("format", "json")
    if kind not in ("json", "csv") or not ActionForm().validate_on_submit():
        abort(400)
    clinic = current_clinic()
    export = patient_export(clinic, patient)
    audit.record(clinic.id, actor_id(), AuditAction.PATIENT_EXPORTED, "patient", patient.id, format=kind)
    db.session.commit()
    name = f"patient-{patient.id}-{clinic.slug}"
    if kind == "json":
        body = json.dumps(export, indent=2, ensure_ascii=False)
        response = Response(body, mimetype="application/json")
    else:
        lines = [csv_line(("record", "id", "field", "value"))] + [csv_line(row) for row in export_rows(export)]
        response = Response("".join(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _erase_page(patient: Patient, form: EraseForm, status: int = 200) -> tuple[str, int]:
    clinic = current_clinic()
    counts = {
        "requests": db.session.scalar(select(func.count()).select_from(ConsultationRequest).where(
            ConsultationRequest.clinic_id == clinic.id, ConsultationRequest.patient_id == patient.id)),
        "appointments": db.session.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.clinic_id == clinic.id, Appointment.patient_id == patient.id)),
    }
    return render_template("dashboard/patient_erase.html", patient=patient, form=form, counts=counts,
                           confirm_word=CONFIRM_WORD), status


@bp.get("/patients/<int:patient_id>/erase")
@requires(Permission.PATIENT_DATA)
def patient_erase_confirm(patient_id: int) -> tuple[str, int]:
    """What erasing will do, and the confirmation."""
    patient = scoped_or_404(Patient, patient_id)
    return _erase_page(patient, EraseForm(formdata=None))


@bp.post("/patients/<int:patient_id>/erase")
@requires(Permission.PATIENT_DATA)
def patient_erase(patient_id: int) -> Response | tuple[str, int]:
    """Anonymise the patient everywhere; the visits and the audit trail stay."""
    patient = scoped_or_404(Patient, patient_id)
    if patient.erased_at is not None:
        flash("This patient was already erased.")
        return redirect(url_for("dashboard.patient_detail", patient_id=patient.id), 303)
    form = EraseForm()
    if not form.validate_on_submit():
        return _erase_page(patient, form, 422)
    erased = erase_patient(current_clinic(), patient, actor_id=actor_id(), now=utcnow(), reason=form.reason.data)
    db.session.commit()
    flash(f"Patient erased: {erased.requests} requests, {erased.appointments} appointments and "
          f"{erased.messages} messages anonymised; {erased.links} links ended.")
    return redirect(url_for("dashboard.patient_detail", patient_id=patient.id), 303)
