"""The check-in page behind the patient's secret link: confirm fasting and driver, note medication
changes, answer the service's questionnaires.

GET shows (never changes); POST submits with a CSRF token. A second submission supersedes the
first. Any answer above zero on PHQ-9 item 9 shows crisis resources at once (the page after
the submit, and every later view while that check-in counts) and flags the visit for a clinician.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from booking.domain.checkins import Window, opens_at
from booking.domain.preparation import fasting_times
from booking.extensions import db
from booking.i18n import asked_language, current_language
from booking.manage import bp
from booking.manage.checkin_forms import checkin_form_class
from booking.manage.instrument_text import WORDING
from booking.manage.views import _load, _service
from booking.models import Appointment, AppointmentStatus, Clinic, Patient, utcnow
from booking.operations.checkins import CheckinAnswers, CheckinRefused, checkin_window, submit
from booking.queries.checkins import current_checkin, instruments_for, opens_hours_before
from booking.queries.instructions import instructions_for


@bp.context_processor
def checkin_link() -> dict[str, object]:
    """`checkin_open(appt)` for the appointment page's "Check in" link."""
    return {"checkin_open": lambda appt: checkin_window(appt, utcnow()) is Window.OPEN}


def _visit(clinic: Clinic, appt: Appointment) -> dict[str, object]:
    """What the page needs about the visit, and which questions it asks."""
    service = _service(appt)
    instructions = instructions_for(clinic, service)
    fasting = fasting_times(
        appt.starts_at.astimezone(clinic.zone),
        instructions.fasting_hours if instructions else None,
        instructions.clear_liquids_hours if instructions else None,
    )
    ask_driver = service.needs_chair or bool(instructions and instructions.driver_required)
    form_class = checkin_form_class(
        instruments_for(service), ask_fasting=fasting.no_food_after is not None, ask_driver=ask_driver
    )
    return {"service": service, "instructions": instructions, "fasting": fasting, "form_class": form_class}


def _render(token: str, clinic: Clinic, appt: Appointment, form: object = None, status: int = 200,
            **visit: object) -> tuple[str, int]:
    patient = db.session.get(Patient, appt.patient_id)
    assert patient is not None
    now = utcnow()
    state = checkin_window(appt, now)
    if not visit:
        visit = _visit(clinic, appt)
    if form is None and state is Window.OPEN:
        form_class = visit["form_class"]
        form = form_class(phone_region=clinic.phone_region, formdata=None, data={  # type: ignore[operator]
            "driver_name": appt.driver_name, "driver_phone": appt.driver_phone,
            "driver_confirmed": appt.driver_confirmed_at is not None,
        })
    return render_template(
        "manage/checkin.html",
        token=token, clinic=clinic, appt=appt, first_name=patient.first_name, form=form, state=state,
        cancelled=appt.status is AppointmentStatus.CANCELLED,
        opens=opens_at(appt.starts_at, opens_hours_before(clinic.id)),
        current=current_checkin(appt), wording=WORDING, **visit,
    ), status


@bp.route("/<token>/checkin", methods=["GET", "POST"])
def checkin(token: str) -> Response | tuple[str, int]:
    """Check in before a visit (GET shows the form or why it is closed; POST submits)."""
    clinic, appt = _load(token)
    if request.method != "POST":
        return _render(token, clinic, appt)
    now = utcnow()
    if checkin_window(appt, now) is not Window.OPEN:
        return _render(token, clinic, appt, status=409)
    visit = _visit(clinic, appt)
    form_class = visit["form_class"]
    form = form_class(phone_region=clinic.phone_region)  # type: ignore[operator]
    if not form.validate_on_submit():
        return _render(token, clinic, appt, form=form, status=422, **visit)
    answers = CheckinAnswers(
        fasting_confirmed=bool(form.ask_fasting and form.fasting_confirmed.data),
        driver_name=form.driver_name.data if form.ask_driver else "",
        driver_phone=form.driver_phone.data if form.ask_driver else "",
        driver_confirmed=bool(form.ask_driver and form.driver_confirmed.data),
        medication_change=form.medication_change.data or "",
        scores=form.scores(),
        ask_driver=form.ask_driver,
    )
    for attempt in (1, 2):
        try:
            submit(clinic, appt, answers, current_language(), now)
            db.session.commit()
            break
        except CheckinRefused:
            db.session.rollback()
            return _render(token, clinic, appt, status=409)
        except IntegrityError:
            # Two sends at once: the other took the "current" place first. Once more, superseding it.
            db.session.rollback()
            if attempt == 2:
                raise
            appt = db.session.get(Appointment, appt.id) or appt
    flash(gettext("Thank you: you are checked in."))
    return redirect(url_for("manage.checkin", token=token, **asked_language()), 303)
