"""Writing emails into the outbox, rendered from `templates/email/<kind>.*` in the recipient's language."""
from __future__ import annotations

from datetime import datetime
from email.utils import formataddr, make_msgid
from typing import Any
from urllib.parse import urlencode

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from booking.extensions import db
from booking.mail.calendar import appointment_ics
from booking.mail.labels import service_label
from booking.models import Appointment, Clinic, Language, MessageKind, OutboxMessage, OutboxStatus, Service

# Characters that must never reach a header (CR/LF would start a new one).
_HEADER_BREAKERS = dict.fromkeys(map(ord, "\r\n\t\x00"), " ")


# Address syntax has no place in a display name; some readers would take it for an address.
_ADDRESS_SYNTAX = dict.fromkeys(map(ord, '<>@,;:"\\[]()'), " ")


def header_safe(value: str) -> str:
    """`value` with anything that could split a mail header turned into spaces.

    Text shaped like an RFC 2047 encoded word (`=?utf-8?q?...=0D=0A...?=`) would be
    decoded, CR/LF and all, by mail readers and by Python's own header folding:
    a space inside each `=?` and `?=` keeps the text as typed but never an encoded word.
    """
    text = " ".join(value.translate(_HEADER_BREAKERS).split())
    return text.replace("=?", "= ?").replace("?=", "? =")


def display_name(value: str) -> str:
    """A person's or clinic's name made safe for a From/To display name."""
    return header_safe(value.translate(_ADDRESS_SYNTAX))


# Stands in the stored body for the patient's secret link, made only at sending.
MANAGE_URL_PLACEHOLDER = "__MANAGE_URL__"


def manage_url(language: Language) -> str:
    """The patient's link as a stored body carries it: the placeholder, then the page's language,
    so the page opens in the language of the message that links to it."""
    return f"{MANAGE_URL_PLACEHOLDER}?lang={language.value}"


def calendar_url(language: Language) -> str:
    """The patient's page's `.ics` download as a stored body carries it (see `manage_url`)."""
    return f"{MANAGE_URL_PLACEHOLDER}/calendar.ics?lang={language.value}"


def checkin_url(language: Language) -> str:
    """The patient's check-in page as a stored body carries it (see `manage_url`)."""
    return f"{MANAGE_URL_PLACEHOLDER}/checkin?lang={language.value}"


def directions_url(address: str) -> str:
    """A maps search for `address`: a link the reader follows, nothing the email loads."""
    return "https://www.google.com/maps/search/?" + urlencode({"api": 1, "query": address})


def enqueue(
    clinic: Clinic,
    *,
    kind: MessageKind,
    dedupe_key: str,
    to_name: str,
    to_email: str,
    context: dict[str, Any],
    now: datetime,
    language: Language,
    appointment: Appointment | None = None,
    due_at: datetime | None = None,
    calendar: tuple[Service, str] | None = None,
    status: OutboxStatus = OutboxStatus.PENDING,
) -> OutboxMessage:
    """Render and store one email in `language`; a second call with the same key returns the first row.

    Subject, bodies and the `.ics` are written once, now, in `language` (its words, and
    its dates in the clinic's region). `calendar` is (service, METHOD): an `.ics` of
    `appointment` goes with it, `to_name` and `to_email` its ATTENDEE. Templates get
    `manage_url` and `calendar_url` (placeholders replaced by a fresh secret link when
    sending), `directions_url`, and with a `service` in `context`, `service_label`.
    """
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
    if existing is not None:
        return existing
    domain = current_app.config["MAIL_MESSAGE_ID_DOMAIN"]
    ics = None
    with force_locale(language.value):
        if calendar is not None and appointment is not None:
            service, method = calendar
            ics = (appointment_ics(clinic, appointment, service, attendee=(to_name, to_email), method=method,
                                   domain=domain, now=now), method)
        context = {
            "clinic": clinic, "manage_url": manage_url(language), "calendar_url": calendar_url(language),
            "checkin_url": checkin_url(language), "directions_url": directions_url(clinic.address), **context,
        }
        if "service" in context:
            context["service_label"] = service_label(context["service"])
        subject = render_template(f"email/{kind.value}.subject.txt", **context)
        body_text = render_template(f"email/{kind.value}.txt", **context)
        # The HTML's <title> is the subject, as the reader's inbox shows it.
        body_html = render_template(f"email/{kind.value}.html", **context, subject=header_safe(subject))
    message = OutboxMessage(
        clinic_id=clinic.id,
        kind=kind,
        dedupe_key=dedupe_key,
        sender=formataddr((display_name(clinic.name), clinic.email)),
        recipient=formataddr((display_name(to_name), to_email)),
        subject=header_safe(subject),
        body_text=body_text,
        body_html=body_html,
        message_id=make_msgid(domain=domain),
        appointment_id=appointment.id if appointment else None,
        appointment_version=appointment.version if appointment else None,
        ics=ics[0] if ics else None,
        ics_method=ics[1] if ics else None,
        status=status,
        due_at=due_at or now,
        next_attempt_at=due_at or now,
        created_at=now,
    )
    message.has_manage_link = MANAGE_URL_PLACEHOLDER in message.body_text + message.body_html
    db.session.add(message)
    db.session.flush()
    return message
