"""The patient's choice of texts on their appointment page: agree (unticked by default) or stop."""
from __future__ import annotations

from typing import Any

from flask import flash, request
from flask_babel import gettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField

from booking.extensions import db
from booking.i18n import lazy_text as _l
from booking.manage import bp
from booking.models import Appointment, Patient, utcnow
from booking.operations.sms_consent import record_sms_consent, withdraw_sms_consent
from booking.operations.sms_inbound import opt_in
from booking.queries.sms import has_consent, opted_out
from booking.validators import TEXTS_REFUSED, can_receive_texts


class TextsForm(FlaskForm):
    """Texts about my visits: yes or no."""

    consent_sms = BooleanField(_l("Text me about my visits"), default=False)


@bp.context_processor
def texts_context() -> dict[str, Any]:
    """`texts_state(appt)` for the page's texts section (templates/manage/_texts.html)."""

    def texts_state(appointment: Appointment) -> dict[str, Any]:
        patient = db.session.get(Patient, appointment.patient_id)
        phone = patient.phone if patient else ""
        agreed = bool(phone) and has_consent(appointment.clinic_id, phone) and not opted_out(appointment.clinic_id, phone)
        return {"form": TextsForm(formdata=None, data={"consent_sms": agreed}), "agreed": agreed,
                "phone": phone, "textable": bool(phone) and can_receive_texts(phone)}

    return {"texts_state": texts_state}


@bp.route("/<token>/texts", methods=["GET", "POST"])
def texts(token: str) -> Response | tuple[str, int]:
    """Agree to texts (consent with the disclosure's version and time) or withdraw it."""
    from booking.manage.views import _back, _load

    clinic, appointment = _load(token)
    form = TextsForm()
    if request.method != "POST" or not form.validate_on_submit():
        return _back(token, "texts")
    patient = db.session.get(Patient, appointment.patient_id)
    assert patient is not None
    now = utcnow()
    if form.consent_sms.data:
        if not can_receive_texts(patient.phone):
            flash(str(TEXTS_REFUSED))
            return _back(token, "texts")
        record_sms_consent(clinic, patient.phone, now, source="patient_page")
        opt_in(clinic, patient.phone)  # ticking the box again undoes an earlier STOP
        flash(gettext("Thank you: we will text you about your visits."))
    else:
        withdraw_sms_consent(clinic, patient.phone, now)
        flash(gettext("We will not text you any more."))
    db.session.commit()
    return _back(token, "texts")
