"""Taking in a consultation request from the public form."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from booking.domain.embedding import Campaign
from booking.domain.errors import DomainError, InvalidRequest, PreferredTimeUnavailable
from booking.domain.screening import review_reasons
from booking.extensions import db
from booking.mail.outbox import enqueue
from booking.models import (
    Answer,
    Clinic,
    Concern,
    ConsultationRequest,
    Language,
    MessageKind,
    PreferredTime,
    RequestStatus,
    Service,
)
from booking.operations.sms_consent import record_sms_consent
from booking.queries.availability import free_starts
from booking.queries.intake import request_for_form_key

MAX_PREFERRED_TIMES = 3
FORM_KEY_CONSTRAINT = "uq_consultation_request_clinic_id_form_key"
# SQLite names the columns, not the constraint, when a unique constraint fails.
_FORM_KEY_COLUMNS_SQLITE = "consultation_request.clinic_id, consultation_request.form_key"


class FormAlreadySubmitted(DomainError):
    """Another transaction took in the same form (same one-time key) first.

    The session must be rolled back; the request it made is then found with
    `request_for_form_key`.
    """


@dataclass(frozen=True)
class RequestDetails:
    """What the patient told us, already validated and normalised at the edge."""

    full_name: str
    email: str
    phone: str  # E.164
    date_of_birth: date
    concern: Concern
    concern_details: str
    answers: dict[str, Answer]  # the screening questions
    medications: str
    support_person: Answer
    consent_privacy: bool
    consent_email: bool
    consent_phone: bool
    call_me: bool = False
    preferred_times: tuple[datetime, ...] = field(default=())
    # The language the form was read in: the request keeps it, and its patient after it.
    language: Language = Language.EN
    # Where the patient came from (utm_* and source from the page that sent them).
    campaign: Campaign = field(default_factory=Campaign)
    # Agreed to texts (its own, unticked box); stored with the disclosure's version.
    consent_sms: bool = False


def submit_request(
    clinic: Clinic, service: Service, details: RequestDetails, now: datetime, *,
    form_key: str | None = None,
) -> ConsultationRequest:
    """Store a request, flag it for review if screening says so, queue the acknowledgment.

    Adds and flushes; the caller commits. Raises `PreferredTimeUnavailable` if a
    chosen time is not free any more, and `InvalidRequest` for broken rules.
    A `form_key` this clinic has seen before returns that request and changes
    nothing (a double submit); if a concurrent transaction is storing the same
    key, raises `FormAlreadySubmitted` once that one has committed.
    """
    if form_key is not None:
        # Before any other check: the first submit may have taken the chosen time.
        earlier = request_for_form_key(clinic, form_key)
        if earlier is not None:
            return earlier
    if service.clinic_id != clinic.id or not (service.public and service.active):
        raise InvalidRequest("service is not requestable at this clinic")
    times = tuple(dict.fromkeys(details.preferred_times))
    if len(times) > MAX_PREFERRED_TIMES:
        raise InvalidRequest("at most three preferred times")
    if not times and not details.call_me:
        raise InvalidRequest("pick a preferred time or ask to be called")
    if not details.consent_privacy or not (details.consent_email or details.consent_phone):
        raise InvalidRequest("consent is missing")
    taken = [t for t in times if t not in free_starts(clinic, service, list(times), now)]
    if taken:
        # Taken by a concurrent submit of this very form, committed since the look-up above?
        earlier = request_for_form_key(clinic, form_key) if form_key is not None else None
        if earlier is not None:
            return earlier
        raise PreferredTimeUnavailable(taken)

    zone = clinic.zone
    reasons = review_reasons(details.answers, details.date_of_birth, clinic.today(now))
    request = ConsultationRequest(
        clinic_id=clinic.id,
        service_id=service.id,
        full_name=details.full_name,
        email=details.email,
        phone=details.phone,
        date_of_birth=details.date_of_birth,
        concern=details.concern,
        concern_details=details.concern_details,
        medications=details.medications,
        support_person=details.support_person,
        call_me=details.call_me,
        consent_privacy=details.consent_privacy,
        consent_email=details.consent_email,
        consent_phone=details.consent_phone,
        status=RequestStatus.NEEDS_REVIEW if reasons else RequestStatus.NEW,
        needs_clinician_review=bool(reasons),
        review_reasons=reasons,
        form_key=form_key,
        language=details.language,
        **details.campaign.columns(),
        created_at=now,
        updated_at=now,
        **details.answers,
    )
    request.preferred_times = [
        PreferredTime(clinic_id=clinic.id, rank=rank, starts_at=start)
        for rank, start in enumerate(times, start=1)
    ]
    db.session.add(request)
    _flush_new_request()
    if details.consent_sms:
        # Before any booking below: its reminders look the consent up.
        record_sms_consent(clinic, details.phone, now, source="request_form", request_id=request.id)
    if clinic.instant_booking and times and not reasons:
        return _book_instantly(clinic, request, times, now)
    if details.consent_email:
        enqueue(
            clinic,
            kind=MessageKind.REQUEST_RECEIVED,
            dedupe_key=MessageKind.REQUEST_RECEIVED.dedupe_key(request.id),
            to_name=details.full_name,
            to_email=details.email,
            context={
                "first_name": details.full_name.split()[0],
                "service": service,
                "preferred_times": [t.astimezone(zone) for t in times],
                "call_me": details.call_me,
                "consent_phone": details.consent_phone,
            },
            now=now,
            language=request.language,
        )
    return request


def _flush_new_request() -> None:
    # PostgreSQL makes a second insert of the key wait until the first transaction
    # ends, and fails it only if that one committed; SQLite has one writer anyway.
    try:
        db.session.flush()
    except IntegrityError as error:
        message = str(error.orig)
        if FORM_KEY_CONSTRAINT not in message and _FORM_KEY_COLUMNS_SQLITE not in message:
            raise
        raise FormAlreadySubmitted("this form was already sent") from error


def _book_instantly(
    clinic: Clinic, request: ConsultationRequest, times: tuple[datetime, ...], now: datetime
) -> ConsultationRequest:
    """Book the first chosen time now (clinics with instant booking, unflagged requests)."""
    from booking.operations.booking import Booker, SlotTaken
    from booking.operations.scheduling import schedule_request

    try:
        schedule_request(clinic, request, times[0], booker=Booker.PATIENT, actor_id=None, now=now)
    except SlotTaken as error:
        raise PreferredTimeUnavailable([times[0]]) from error
    return request
