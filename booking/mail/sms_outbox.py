"""Writing texts into the outbox: only to numbers that agreed and did not opt out, outside quiet hours."""
from __future__ import annotations

import re
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from booking.domain.quiet_hours import allowed_from
from booking.domain.sms_segments import fit_text
from booking.extensions import db
from booking.mail.outbox import MANAGE_URL_PLACEHOLDER, manage_url
from booking.mail.sms import sms_settings
from booking.models import Appointment, Channel, Clinic, Language, MessageKind, OutboxMessage, OutboxStatus
from booking.queries.sms import may_text, messaging_settings, opted_out, quiet_hours

# Texts are kept within this many segments where the words allow (booking/domain/sms_segments.py).
MOST_SEGMENTS = 2


def sms_key(kind: MessageKind, *parts: object) -> str:
    """The dedupe key of a text: the email's key with ":sms", so both channels can carry one cause."""
    return kind.dedupe_key(*parts, "sms")


# A sentence ending in a clock time that ends in a point ("1:30 p.m.") takes no second one.
_DOUBLE_STOP = re.compile(r"\.\.(?=\s|$)")


def tidy_text(text: str) -> str:
    """One line, one space between words, no doubled full stop, kept within MOST_SEGMENTS if it can be."""
    return fit_text(_DOUBLE_STOP.sub(".", " ".join(text.split())), MOST_SEGMENTS)


def render_text(kind: MessageKind, language: Language, **context: Any) -> str:
    """The words of a `templates/sms/<kind>.txt` text in `language`, on one line, kept short."""
    with force_locale(language.value):
        text = render_template(f"sms/{kind.value}.txt", **context, manage_url=manage_url(language))
    return tidy_text(text)


def enqueue_text(
    clinic: Clinic,
    *,
    kind: MessageKind,
    dedupe_key: str,
    phone: str,
    body: str,
    now: datetime,
    appointment: Appointment | None = None,
    due_at: datetime | None = None,
    status: OutboxStatus = OutboxStatus.PENDING,
    reply: bool = False,
) -> OutboxMessage | None:
    """Store one text; None (and nothing stored) if the number may not be texted.

    A `reply` answers a text the number just sent: it needs no prior consent and
    ignores quiet hours, but an opted-out number gets nothing. Anything else needs
    consent, and is due no earlier than the end of the clinic's quiet hours (unless
    close to the visit). A second call with the same key returns the first row.
    """
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
    if existing is not None:
        return existing
    if opted_out(clinic.id, phone) if reply else not may_text(clinic.id, phone):
        return None
    due = due_at or now
    if not reply:
        visit = appointment.starts_at if appointment is not None else None
        due = allowed_from(due, clinic.zone, quiet_hours(messaging_settings(clinic)), visit)
    message = OutboxMessage(
        clinic_id=clinic.id,
        channel=Channel.SMS,
        kind=kind,
        dedupe_key=dedupe_key,
        sender=sms_settings(clinic).sender_label,
        recipient=phone,
        subject="",
        body_text=body,
        body_html="",
        message_id=make_msgid(domain=current_app.config["MAIL_MESSAGE_ID_DOMAIN"]),
        appointment_id=appointment.id if appointment else None,
        appointment_version=appointment.version if appointment else None,
        status=status,
        due_at=due,
        next_attempt_at=due,
        created_at=now,
        has_manage_link=MANAGE_URL_PLACEHOLDER in body,
    )
    db.session.add(message)
    db.session.flush()
    return message
