"""The patient's appointment page behind a secret link, and the actions on it.

GET never changes anything (mail scanners open links), nor does HEAD, which answers
like GET: every view branches on POST, never on GET. Every action is a POST with a
CSRF token. Any bad, unknown or expired token gets the same 404 page.
"""
from __future__ import annotations

from datetime import datetime

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from booking.domain.availability import Slot, starts_by_day
from booking.domain.preparation import fasting_times
from booking.extensions import db, limiter
from booking.forms import ActionForm
from booking.i18n import asked_language, prefer_language
from booking.mail.calendar import appointment_ics
from booking.manage import bp
from booking.manage.forms import DriverForm, RescheduleForm
from booking.models import (
    Appointment,
    AppointmentStatus,
    Clinic,
    Patient,
    Service,
    utcnow,
)
from booking.operations.booking import InvalidBooking, SlotTaken
from booking.operations.patient_actions import (
    PatientActionRefused,
    TimesUnavailable,
    can_change,
    cancel,
    confirm,
    nearest_free,
    needs_confirmation,
    offered_times,
    open_change_requests,
    refusal,
    request_reschedule,
    save_driver,
)
from booking.queries.instructions import instructions_for
from booking.queries.manage_links import appointment_for_token
from booking.templating import clinic_locale, format_times


def _rate_limit() -> str:
    return str(current_app.config["MANAGE_RATE_LIMIT"])


# Per client address, on every /manage/ URL, valid token or not.
limiter.limit(_rate_limit)(bp)


@bp.after_request
def private_headers(response: Response) -> Response:
    """The page is personal: never cached, never indexed, the link never sent on as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[str, int]:
    """An expired or missing form token: nothing changed, try again from the page."""
    token = (request.view_args or {}).get("token", "")
    appointment = appointment_for_token(token, utcnow()) if token else None
    patient = db.session.get(Patient, appointment.patient_id) if appointment is not None else None
    if patient is not None:
        prefer_language(patient.language)
    return render_template("manage/csrf.html", token=token), 400


def _load(token: str) -> tuple[Clinic, Appointment]:
    """The clinic and appointment for a valid token, else the one "not valid" page.

    The page then opens in the patient's language, unless `?lang=` or the switcher's
    cookie asks for another.
    """
    appointment = appointment_for_token(token, utcnow())
    if appointment is None:
        # The same page whatever the reason: it must not tell whether an appointment exists.
        abort(make_response(render_template("manage/invalid.html"), 404))
    clinic = db.session.get(Clinic, appointment.clinic_id)
    assert clinic is not None
    patient = db.session.get(Patient, appointment.patient_id)
    if patient is not None:
        prefer_language(patient.language)
    return clinic, appointment


def _service(appointment: Appointment) -> Service:
    service = db.session.get(Service, appointment.service_id)
    assert service is not None
    return service


def _call_us(clinic: Clinic) -> str:
    return gettext("Please call %(clinic)s on %(phone)s.", clinic=clinic.name, phone=clinic.phone)


def _page(
    token: str, clinic: Clinic, appointment: Appointment, *, driver_form: DriverForm | None = None,
    notice: str | None = None, status: int = 200,
) -> tuple[str, int]:
    now = utcnow()
    service = _service(appointment)
    patient = db.session.get(Patient, appointment.patient_id)
    assert patient is not None
    instructions = instructions_for(clinic, service)
    starts = appointment.starts_at.astimezone(clinic.zone)
    fasting = fasting_times(
        starts,
        instructions.fasting_hours if instructions else None,
        instructions.clear_liquids_hours if instructions else None,
    )
    changeable = can_change(appointment, now)
    if driver_form is None:
        driver_form = DriverForm(
            phone_region=clinic.phone_region,
            formdata=None,
            data={
                "name": appointment.driver_name,
                "phone": appointment.driver_phone,
                "email": appointment.driver_email,
                "may_email": appointment.driver_may_be_emailed,
                "confirmed": appointment.driver_confirmed_at is not None,
            },
        )
    return render_template(
        "manage/appointment.html",
        token=token,
        clinic=clinic,
        appt=appointment,
        service=service,
        first_name=patient.first_name,
        instructions=instructions,
        fasting=fasting,
        changeable=changeable,
        needs_confirmation=needs_confirmation(appointment, now),
        show_driver=changeable and (service.needs_chair or bool(instructions and instructions.driver_required)),
        driver_form=driver_form,
        requested_times=_requested_times(appointment) if changeable else [],
        notice=notice,
    ), status


def _requested_times(appointment: Appointment) -> list[datetime]:
    """The times in the patient's open change request, if any."""
    requests = open_change_requests(appointment)
    return [datetime.fromisoformat(value) for value in requests[0].preferred_times] if requests else []


def _refused(token: str, clinic: Clinic, appointment: Appointment, reason: object) -> tuple[str, int]:
    """The page with why the action is not possible (409 for a refused POST)."""
    db.session.rollback()
    status = 409 if request.method == "POST" else 200
    return _page(token, clinic, appointment, notice=f"{reason} {_call_us(clinic)}", status=status)


def _back(token: str, anchor: str | None = None) -> Response:
    return redirect(url_for("manage.appointment", token=token, _anchor=anchor, **asked_language()), 303)


@bp.get("/<token>")
def appointment(token: str) -> tuple[str, int]:
    """The patient's appointment: when, where, how to prepare, and what they can do."""
    clinic, appt = _load(token)
    return _page(token, clinic, appt)


@bp.route("/<token>/confirm", methods=["GET", "POST"], endpoint="confirm")
def confirm_attendance(token: str) -> Response | tuple[str, int]:
    """Confirm the patient will come (GET only shows the page)."""
    clinic, appt = _load(token)
    if request.method != "POST" or not ActionForm().validate_on_submit():
        return _back(token)
    try:
        changed = confirm(clinic, appt, utcnow())
    except PatientActionRefused as error:
        return _refused(token, clinic, appt, error)
    db.session.commit()
    flash(gettext("Thank you: your appointment is confirmed.") if changed
          else gettext("You had already confirmed this appointment."))
    return _back(token)


@bp.route("/<token>/driver", methods=["GET", "POST"])
def driver(token: str) -> Response | tuple[str, int]:
    """Save the driver's details; with consent and an email, queue them a pickup note."""
    clinic, appt = _load(token)
    if request.method != "POST":
        return _back(token, "driver")  # the form is on the page
    form = DriverForm(phone_region=clinic.phone_region)
    reason = refusal(appt, utcnow())
    if reason is not None:
        return _refused(token, clinic, appt, reason)
    if not form.validate_on_submit():
        return _page(token, clinic, appt, driver_form=form, status=422)
    try:
        note = save_driver(clinic, appt, form.details(), utcnow())
    except PatientActionRefused as error:
        return _refused(token, clinic, appt, error)
    db.session.commit()
    if note is None:
        flash(gettext("Your driver's details are saved."))
    else:
        flash(gettext("Your driver's details are saved. We will email %(name)s the pickup time.",
                      name=appt.driver_name))
    return _back(token)


@bp.route("/<token>/cancel", methods=["GET", "POST"], endpoint="cancel")
def cancel_appointment(token: str) -> Response | tuple[str, int]:
    """Ask "are you sure?" (GET), then cancel (POST)."""
    clinic, appt = _load(token)
    reason = refusal(appt, utcnow())
    if reason is not None:
        return _refused(token, clinic, appt, reason)
    if request.method != "POST" or not ActionForm().validate_on_submit():
        return render_template("manage/cancel.html", token=token, clinic=clinic, appt=appt,
                               service=_service(appt)), 200
    try:
        cancel(clinic, appt, utcnow())
    except PatientActionRefused as error:
        return _refused(token, clinic, appt, error)
    db.session.commit()
    flash(gettext("Your appointment is cancelled. We have emailed you a confirmation."))
    return _back(token)


def _reschedule_page(
    token: str, clinic: Clinic, appt: Appointment, form: RescheduleForm, *, status: int = 200,
    nearest: list[Slot] | None = None,
) -> tuple[str, int]:
    now = utcnow()
    zone = clinic.zone
    days = int(current_app.config.get("REQUEST_FORM_DAYS", 14))
    slots = offered_times(clinic, appt, clinic.today(now), days, now)
    chosen = {t.astimezone(zone).isoformat() for t in form.chosen}
    return render_template(
        "manage/reschedule.html",
        token=token,
        clinic=clinic,
        appt=appt,
        service=_service(appt),
        form=form,
        times_by_day=starts_by_day(slots),
        days=days,
        chosen=chosen,
        # Days with a chosen or suggested time start unfolded.
        open_days={value[:10] for value in chosen} | {s.start.date().isoformat() for s in nearest or []},
        nearest=nearest or [],
        change_requests=open_change_requests(appt),
    ), status


@bp.route("/<token>/reschedule", methods=["GET", "POST"], endpoint="reschedule")
def reschedule_appointment(token: str) -> Response | tuple[str, int]:
    """List free times (GET); move there, or ask the clinic to (POST)."""
    clinic, appt = _load(token)
    reason = refusal(appt, utcnow())
    if reason is not None:
        return _refused(token, clinic, appt, reason)
    form = RescheduleForm()
    if request.method != "POST":
        return _reschedule_page(token, clinic, appt, form)
    if not form.validate_on_submit():
        return _reschedule_page(token, clinic, appt, form, status=422)
    try:
        outcome = request_reschedule(clinic, appt, form.chosen, utcnow())
        db.session.commit()
    except PatientActionRefused as error:
        return _refused(token, clinic, appt, error)
    except TimesUnavailable as error:
        db.session.rollback()
        taken = format_times(error.times, clinic.timezone, clinic_locale(clinic))
        form.times.errors = [ngettext(
            "Sorry, this time is no longer free: %(times)s. Please choose another.",
            "Sorry, these times are no longer free: %(times)s. Please choose another.",
            len(error.times), times=taken,
        )]
        form.chosen = [t for t in form.chosen if t not in error.times]
        return _reschedule_page(token, clinic, appt, form, status=409, nearest=error.nearest)
    except SlotTaken:
        # Taken by someone else between our check and the booking: the transaction is
        # gone, so the nearby free times are looked up afresh.
        db.session.rollback()
        form.times.errors = [gettext("Sorry, that time was just taken. Please choose another.")]
        nearest = nearest_free(clinic, appt, form.chosen[0], utcnow())
        form.chosen = []
        return _reschedule_page(token, clinic, appt, form, status=409, nearest=nearest)
    except InvalidBooking:
        # Changed by the clinic meanwhile (cancelled, say): say why as the page would.
        db.session.rollback()
        reason = refusal(appt, utcnow()) or gettext("This appointment cannot be moved here.")
        return _refused(token, clinic, appt, reason)
    if outcome.rebooked:
        flash(gettext(
            "Your appointment is moved to %(when)s. We have emailed you the new time.",
            when=format_times([appt.starts_at], clinic.timezone, clinic_locale(clinic)),
        ))
    else:
        flash(gettext("Thank you: we have sent your preferred times to the clinic. Your current appointment "
                      "stays booked until they call or email you to confirm a new time."))
    return _back(token)


@bp.get("/<token>/calendar.ics")
def calendar(token: str) -> Response:
    """The appointment as an iCalendar file (a cancellation once it is cancelled)."""
    clinic, appt = _load(token)
    method = "CANCEL" if appt.status is AppointmentStatus.CANCELLED else "REQUEST"
    patient = db.session.get(Patient, appt.patient_id)
    assert patient is not None
    body = appointment_ics(
        clinic, appt, _service(appt), attendee=(patient.full_name, patient.email), method=method,
        domain=current_app.config["MAIL_MESSAGE_ID_DOMAIN"], now=utcnow(),
    )
    response = make_response(body)
    response.headers["Content-Type"] = f"text/calendar; charset=utf-8; method={method}"
    response.headers["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response
