"""Delivering one claimed text: the same outbox, claim and guarantees as email (see delivery.py).

Checked again at sending: a number that opted out (or withdrew consent) since the
text was written gets nothing (the text is voided); in quiet hours the text waits
for their end. The provider's id and first status are stored. An outage (network,
5xx, 429) is retried with backoff; a refusal of the text itself fails it at once.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app

from booking.domain.quiet_hours import allowed_from
from booking.extensions import db
from booking.mail.links import issue_token
from booking.mail.outbox import MANAGE_URL_PLACEHOLDER
from booking.mail.sms import SmsRefused, SmsSender, SmsUnavailable, sender_for
from booking.models import Appointment, Clinic, MessageKind, OutboxMessage, OutboxStatus, SmsOptOut
from booking.queries.sms import may_text, messaging_settings, opted_out, quiet_hours

log = logging.getLogger(__name__)

# Twilio's "unsubscribed recipient": the number sent STOP to the carrier; record the opt-out.
_UNSUBSCRIBED = "21610"


def _blocked(row: OutboxMessage) -> str | None:
    """Why this text must not go out any more, if it must not."""
    if row.kind is MessageKind.SMS_REPLY:
        return "opted out" if opted_out(row.clinic_id, row.recipient) else None
    return None if may_text(row.clinic_id, row.recipient) else "no consent or opted out"


def _body(row: OutboxMessage, appointment: Appointment | None, now: datetime) -> str:
    if row.has_manage_link and appointment is not None:
        url = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/manage/{issue_token(appointment, now)}"
        return row.body_text.replace(MANAGE_URL_PLACEHOLDER, url)
    return row.body_text


def _status_callback(clinic: Clinic) -> str:
    # Built by hand: the worker has no request to build URLs from (see booking/webhooks/views.py).
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/webhooks/twilio/{clinic.slug}/status"


def _relock(row_id: int) -> OutboxMessage | None:
    db.session.rollback()  # drops the unsent link's token
    relocked = db.session.get(OutboxMessage, row_id, with_for_update={"skip_locked": True})
    if relocked is None or relocked.status is not OutboxStatus.PENDING:
        db.session.rollback()  # another worker has it now
        return None
    return relocked


def deliver_text(
    row: OutboxMessage, appointment: Appointment | None, now: datetime, senders: dict[int, SmsSender],
) -> str:
    """Send one claimed text and commit; the outcome: sent, voided, deferred, retried, failed or lost_lock."""
    from booking.mail.delivery import backoff  # delivery imports this module

    blocked = _blocked(row)
    if blocked is not None:
        row.status = OutboxStatus.VOID
        row.last_error = blocked
        db.session.commit()
        return "voided"
    clinic = db.session.get(Clinic, row.clinic_id)
    assert clinic is not None
    if row.kind is not MessageKind.SMS_REPLY:
        later = allowed_from(now, clinic.zone, quiet_hours(messaging_settings(clinic)),
                             appointment.starts_at if appointment is not None else None)
        if later > now:
            row.next_attempt_at = later
            db.session.commit()
            return "deferred"
    sender = senders.get(clinic.id)
    if sender is None:
        sender = senders[clinic.id] = sender_for(clinic)
    try:
        receipt = sender.send(to=row.recipient, body=_body(row, appointment, now),
                              status_callback=_status_callback(clinic) if sender.name != "log" else None)
    except SmsRefused as error:
        log.warning("text %s refused by the provider: %s", row.id, error.code)
        relocked = _relock(row.id)
        if relocked is None:
            return "lost_lock"
        relocked.attempts += 1
        relocked.status = OutboxStatus.FAILED
        relocked.last_error = f"refused: error {error.code}"
        relocked.delivery_error = error.code[:16]
        if error.code == _UNSUBSCRIBED and not opted_out(clinic.id, relocked.recipient):
            db.session.add(SmsOptOut(clinic_id=clinic.id, phone=relocked.recipient, opted_out_at=now))
        db.session.commit()
        return "failed"
    except SmsUnavailable as error:
        log.warning("text %s not sent: %s", row.id, error)
        relocked = _relock(row.id)
        if relocked is None:
            return "lost_lock"
        config = current_app.config
        relocked.attempts += 1
        relocked.last_error = str(error)[:500]
        if relocked.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
            relocked.status = OutboxStatus.FAILED
            db.session.commit()
            return "failed"
        relocked.next_attempt_at = now + backoff(
            relocked.attempts,
            timedelta(seconds=config["OUTBOX_RETRY_BASE_SECONDS"]),
            timedelta(seconds=config["OUTBOX_RETRY_CAP_SECONDS"]),
        )
        db.session.commit()
        return "retried"
    row.status = OutboxStatus.SENT
    row.sent_at = now
    row.attempts += 1
    row.provider = sender.name
    row.provider_message_id = receipt.provider_message_id
    row.delivery_status = receipt.status[:16]
    db.session.commit()
    return "sent"
