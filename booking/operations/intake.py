"""Taking in a consultation request from the public form."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from booking.domain.errors import InvalidRequest, PreferredTimeUnavailable
from booking.domain.screening import review_reasons
from booking.extensions import db
from booking.mail.outbox import enqueue
from booking.models import (
    Answer,
    Clinic,
    Concern,
    ConsultationRequest,
    MessageKind,
    PreferredTime,
    RequestStatus,
    Service,
)
from booking.queries.availability import free_starts

MAX_PREFERRED_TIMES = 3


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


def submit_request(
    clinic: Clinic, service: Service, details: RequestDetails, now: datetime
) -> ConsultationRequest:
    """Store a request, flag it for review if screening says so, queue the acknowledgment.

    Adds and flushes; the caller commits. Raises `PreferredTimeUnavailable` if a
    chosen time is not free any more, and `InvalidRequest` for broken rules.
    """
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
        raise PreferredTimeUnavailable(taken)

    zone = clinic.zone
    reasons = review_reasons(details.answers, details.date_of_birth, now.astimezone(zone).date())
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
        created_at=now,
        updated_at=now,
        **details.answers,
    )
    request.preferred_times = [
        PreferredTime(clinic_id=clinic.id, rank=rank, starts_at=start)
        for rank, start in enumerate(times, start=1)
    ]
    db.session.add(request)
    db.session.flush()
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
        )
    return request


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
