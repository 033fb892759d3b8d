"""Views for patients: the clinic list, a clinic's page, and the request form."""
from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, ngettext
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from booking.domain.embedding import campaign_from
from booking.domain.errors import InvalidRequest, PreferredTimeUnavailable
from booking.extensions import db
from booking.i18n import asked_language, current_language
from booking.i18n import lazy_text as _l
from booking.models import Clinic, ConsultationRequest, Service, ServiceKind, utcnow
from booking.operations.intake import FormAlreadySubmitted, submit_request
from booking.public import bp
from booking.public.form_page import FormPage
from booking.public.form_times import asked_window, times_by_day
from booking.public.forms import (
    SCREENING_LABELS,
    ConsultationRequestForm,
    is_form_key,
    new_form_key,
)
from booking.public.submit_limit import limited_submission
from booking.queries.instructions import instructions_for
from booking.queries.intake import request_for_form_key
from booking.templating import clinic_locale, format_times
from booking.validators import parse_instant


def _clinic_or_404(slug: str) -> Clinic:
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == slug))
    if clinic is None:
        abort(404)
    return clinic


def _public_services(clinic: Clinic) -> list[Service]:
    return [s for s in clinic.services if s.public and s.active]


def _infusion_service(clinic: Clinic) -> Service | None:
    return next((s for s in clinic.services if s.kind is ServiceKind.INFUSION and s.active), None)


@bp.get("/")
def index() -> str:
    """List the clinics."""
    clinics = db.session.scalars(select(Clinic).order_by(Clinic.name)).all()
    return render_template("public/index.html", clinics=clinics)


@bp.get("/<slug>/")
def clinic_page(slug: str) -> str:
    """A clinic's page: services, what to expect, how to prepare."""
    clinic = _clinic_or_404(slug)
    infusion = _infusion_service(clinic)
    return render_template(
        "public/clinic.html",
        clinic=clinic,
        services=[s for s in clinic.services if s.active],
        instructions=instructions_for(clinic, infusion),
    )


def _today(clinic: Clinic) -> date:
    return clinic.today(utcnow())


def render_form(
    clinic: Clinic, form: ConsultationRequestForm, services: list[Service], status: int = 200,
    notice: str | None = None, page: FormPage | None = None, wait_minutes: int | None = None,
) -> tuple[str, int]:
    page = page or FormPage()
    service = next((s for s in services if s.slug == form.service.data), services[0])
    if not is_form_key(form.form_key.data):
        # A new page, a page from before keys, or a damaged key: sent again, the form
        # must still count once.
        form.form_key.data = new_form_key()
    form.form_key.errors = []
    chosen = _chosen_in_zone(form.preferred_times.data or [], clinic.zone)
    window = asked_window(clinic)
    return (
        render_template(
            page.template,
            layout=page.layout,
            form_endpoint=page.endpoint,
            form_query=page.query(),
            **page.context(clinic, form.form_key.data),
            clinic=clinic,
            form=form,
            services=services,
            service=service,
            times_by_day=times_by_day(clinic, service, window),
            window=window,
            chosen=chosen,
            # Kept without JavaScript while other days are shown, and listed.
            chosen_elsewhere=sorted(
                t for t in map(datetime.fromisoformat, chosen) if not window.holds(t.date())
            ),
            open_days={value[:10] for value in chosen},
            screening_labels=SCREENING_LABELS,
            consult_instructions=instructions_for(clinic, service),
            infusion_instructions=instructions_for(clinic, _infusion_service(clinic)),
            notice=notice,
            wait_minutes=wait_minutes,
            api_url=url_for("api.availability", slug=clinic.slug),
            # The slot picker writes dates as the server does (BCP 47: es-US).
            date_locale=clinic_locale(clinic).replace("_", "-"),
            today=_today(clinic),
        ),
        status,
    )


def _chosen_in_zone(values: list[str], zone: ZoneInfo) -> set[str]:
    """Posted times as ISO strings in the clinic's zone, matching the offered slots."""
    chosen = set()
    for value in values:
        try:
            chosen.add(parse_instant(value).astimezone(zone).isoformat())
        except ValueError:
            continue
    return chosen


def new_form(clinic: Clinic, services: list[Service], *, csrf: bool = True) -> ConsultationRequestForm:
    # csrf=False for the embedded form, which has its own token (booking/public/embed.py);
    # else Flask-WTF's setting decides.
    meta = {} if csrf else {"csrf": False}
    form = ConsultationRequestForm(phone_region=clinic.phone_region, today=_today(clinic), meta=meta)
    form.service.choices = [SelectChoice(s.slug, s.name) for s in services]
    if form.service.data is None and services:
        form.service.data = services[0].slug
    return form


DAMAGED_FORM = _l(
    "Something went wrong while sending the form. Nothing was saved: please check your "
    "answers and press “Send request” again."
)


@bp.route("/<slug>/request", methods=["GET", "POST"])
@limited_submission
def request_form(slug: str) -> Response | tuple[str, int]:
    """Show the consultation request form, and take it in.

    Each form page carries a one-time key: a repeat of a POST that was taken in
    (a double click, a retry) gets the same answer and stores nothing new. A POST
    without a key (a page from before keys) is taken in, unprotected.
    """
    clinic, services = requestable(slug)
    page = FormPage(campaign_from(request.args))
    form = new_form(clinic, services)
    if request.method == "POST" and "show_from" in request.form:
        # "Earlier/later dates" without JavaScript: the form again at those days, as typed.
        keep_without_errors(form)
        return render_form(clinic, form, services, page=page)
    if not form.validate_on_submit():
        notice = DAMAGED_FORM if form.form_key.errors else None
        return render_form(clinic, form, services, 422 if request.method == "POST" else 200, notice, page)
    outcome = take_in(clinic, services, form, page)
    if isinstance(outcome, tuple):
        return outcome
    if outcome is None:
        session.pop("received", None)
    else:
        session["received"] = outcome
    return redirect(url_for("public.request_received", slug=slug, **asked_language()), 303)


def requestable(slug: str) -> tuple[Clinic, list[Service]]:
    """The clinic and the services its form offers; 404 if it has none."""
    clinic = _clinic_or_404(slug)
    services = _public_services(clinic)
    if not services:
        abort(404)
    return clinic, services


def take_in(
    clinic: Clinic, services: list[Service], form: ConsultationRequestForm, page: FormPage
) -> dict[str, int] | None | tuple[str, int]:
    """Store the validated form: `{"clinic": id, "request": id}` of the request it made (or made
    before, for a repeat), None for a bot, or the form again with what went wrong."""
    if form.website.data:
        # A bot filled in the hidden field: look successful, keep nothing.
        return None
    service = next(s for s in services if s.slug == form.service.data)
    form_key = form.form_key.data or None
    details = replace(form.details(current_language()), campaign=page.campaign)
    try:
        created = submit_request(clinic, service, details, utcnow(), form_key=form_key)
        # Read before the commit expires them, which would cost two more queries.
        received = {"clinic": clinic.id, "request": created.id}
        db.session.commit()
    except FormAlreadySubmitted:
        # A concurrent POST of the same form won the race for the key and has
        # committed: this one is a replay of it.
        db.session.rollback()
        assert form_key is not None
        earlier = request_for_form_key(clinic, form_key)
        if earlier is None:  # the winner was rolled back after all: nothing was kept
            return render_form(clinic, form, services, 409, DAMAGED_FORM, page)
        received = {"clinic": clinic.id, "request": earlier.id}
    except PreferredTimeUnavailable as error:
        db.session.rollback()
        taken = format_times(error.times, clinic.timezone, clinic_locale(clinic))
        form.preferred_times.errors = [
            ngettext(
                "Sorry, this time is no longer available: %(times)s. Please choose another.",
                "Sorry, these times are no longer available: %(times)s. Please choose another.",
                len(error.times), times=taken,
            )
        ]
        form.preferred_times.data = [
            t.isoformat() for t in form.chosen_times if t not in error.times
        ]
        form.chosen_times = ()
        return render_form(clinic, form, services, 409, page=page)
    except InvalidRequest:
        db.session.rollback()
        return render_form(clinic, form, services, 422, gettext("Please check the form and try again."), page)
    return received


def render_after_csrf_failure(slug: str) -> tuple[str, int]:
    """The form again, with what was typed, after an expired or missing CSRF token."""
    clinic, services = requestable(slug)
    form = new_form(clinic, services)
    return render_refused(clinic, services, form, FormPage(campaign_from(request.args)))


def render_refused(
    clinic: Clinic, services: list[Service], form: ConsultationRequestForm, page: FormPage
) -> tuple[str, int]:
    """The posted form again, everything typed kept, asking to send it again (its token was stale)."""
    keep_without_errors(form)
    return render_form(
        clinic,
        form,
        services,
        400,
        gettext(
            "Your session expired before the form was sent. Nothing was saved: please check "
            "your answers and press “Send request” again."
        ),
        page,
    )


def keep_without_errors(form: ConsultationRequestForm) -> None:
    """Fill `form` from what was posted, without error messages."""
    form.validate()  # fills data and errors from what was posted
    for form_field in form:
        form_field.errors = []


def render_wait(clinic: Clinic, services: list[Service], form: ConsultationRequestForm, page: FormPage,
                retry_after: int) -> tuple[str, int]:
    """The posted form again, with what was typed, when this address sent too many: when to try, whom to call."""
    keep_without_errors(form)
    return render_form(clinic, form, services, 429, page=page, wait_minutes=max(1, math.ceil(retry_after / 60)))


def render_after_rate_limit(slug: str, retry_after: int) -> tuple[str, int]:
    """The clinic's page's form as a "please wait" answer."""
    clinic, services = requestable(slug)
    return render_wait(clinic, services, new_form(clinic, services), FormPage(campaign_from(request.args)), retry_after)


@bp.get("/<slug>/request/received")
def request_received(slug: str) -> str:
    """Confirmation page with next steps and pre-visit instructions."""
    clinic = _clinic_or_404(slug)
    received = session.get("received") or {}
    request_id = received.get("request") if received.get("clinic") == clinic.id else None
    return render_received(clinic, request_id)


def render_received(clinic: Clinic, request_id: object, template: str = "public/received.html",
                    **context: Any) -> str:
    """The received page for request `request_id` of `clinic` (a plain thank-you if there is none)."""
    consultation = None
    if isinstance(request_id, int):
        consultation = db.session.scalar(
            select(ConsultationRequest).where(
                ConsultationRequest.clinic_id == clinic.id,
                ConsultationRequest.id == request_id,
            )
        )
    service = db.session.get(Service, consultation.service_id) if consultation else None
    return render_template(
        template,
        **context,
        clinic=clinic,
        consultation=consultation,
        service=service,
        consult_instructions=instructions_for(clinic, service) if service else None,
        infusion_instructions=instructions_for(clinic, _infusion_service(clinic)),
    )
