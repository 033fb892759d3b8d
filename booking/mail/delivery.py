"""Delivering due outbox messages over SMTP, one locked row at a time.

Each message is claimed with `FOR UPDATE SKIP LOCKED` (PostgreSQL), sent, and
marked in its own transaction, so several workers never send the same message.
Before sending, a message about an appointment is checked against it: a message
written for an older version, or for a cancelled visit, is voided; a reminder
whose moment passed more than LATE_GRACE ago is skipped, never sent late.
A 5xx refusal of a message fails it at once; 4xx answers and network errors are
retried with backoff. A connection given up on is closed (QUIT, then the socket).
"""
from __future__ import annotations

import contextlib
import logging
import re
import smtplib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_mail import Connection, Message
from sqlalchemy import bindparam, select

from booking import metrics
from booking.domain.reminders import LATE_GRACE
from booking.extensions import db, mail
from booking.mail.links import RESET_URL_PLACEHOLDER, issue_reset_token, issue_token, reset_staff_id
from booking.mail.outbox import MANAGE_URL_PLACEHOLDER
from booking.models import (
    OCCUPYING_STATUSES,
    Appointment,
    AppointmentStatus,
    Channel,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    utcnow,
)

log = logging.getLogger(__name__)

# Refusals of one message; anything else (or a 421) means the server is the
# problem, so the run stops and the rest wait for the next one.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
# What each refusal says in `last_error`, instead of the server's text (which may echo an address).
_REFUSED: dict[type[OSError], str] = {
    smtplib.SMTPRecipientsRefused: "recipient refused",
    smtplib.SMTPSenderRefused: "sender refused",
    smtplib.SMTPDataError: "message refused",
}
# An RFC 3463 enhanced status code at the start of a reply, e.g. "5.1.1".
_ENHANCED_STATUS = re.compile(rb"\s*([245]\.\d{1,3}\.\d{1,3})(?![\d.])")


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    voided: int = 0
    skipped: int = 0
    deferred: int = 0  # texts due in quiet hours, moved to their end

    @property
    def handled(self) -> int:
        """Messages this run took off the queue or tried."""
        return self.sent + self.retried + self.failed + self.voided + self.skipped + self.deferred


def backoff(attempts: int, base: timedelta, cap: timedelta) -> timedelta:
    """Delay before the next try: doubles with every attempt, up to `cap`."""
    return min(base * (2 ** (attempts - 1)), cap)


# Built once (the worker runs it for every message). SKIP LOCKED lets several
# senders share the queue without taking the same row.
_CLAIM = (
    select(OutboxMessage, Appointment)
    .outerjoin(Appointment, Appointment.id == OutboxMessage.appointment_id)
    .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= bindparam("now"))
    .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    .limit(1)
    .with_for_update(of=OutboxMessage, skip_locked=True)
)


# One channel only: a worker per channel, so an SMTP outage never holds up texts (or the reverse).
_CLAIMS: dict[Channel | None, Any] = {
    None: _CLAIM, **{channel: _CLAIM.where(OutboxMessage.channel == channel) for channel in Channel},
}


def _claim_next(now: datetime, channel: Channel | None = None) -> tuple[OutboxMessage, Appointment | None] | None:
    """The next due message (of `channel`, if given), locked, with its appointment (one query)."""
    found = db.session.execute(_CLAIMS[channel], {"now": now}).first()
    return None if found is None else (found[0], found[1])


def _stale(row: OutboxMessage, appointment: Appointment | None, now: datetime) -> OutboxStatus | None:
    """VOID or SKIPPED if this message must not go out any more, else None."""
    if row.appointment_id is None:
        return None
    if appointment is None or appointment.version != row.appointment_version:
        return OutboxStatus.VOID
    if row.kind is MessageKind.APPOINTMENT_CANCELLED:
        return None if appointment.status is AppointmentStatus.CANCELLED else OutboxStatus.VOID
    if appointment.status not in OCCUPYING_STATUSES:
        return OutboxStatus.VOID
    if row.kind.is_reminder and (now - row.due_at > LATE_GRACE or now >= appointment.starts_at):
        return OutboxStatus.SKIPPED
    return None


def _as_mail(row: OutboxMessage, appointment: Appointment | None, now: datetime) -> Message:
    text, html = row.body_text, row.body_html
    if row.has_manage_link and appointment is not None:
        # The stored body has the placeholder then the message's `?lang=`: the link keeps its language.
        url = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/manage/{issue_token(appointment, now)}"
        text = text.replace(MANAGE_URL_PLACEHOLDER, url)
        html = html.replace(MANAGE_URL_PLACEHOLDER, url)
    if row.kind is MessageKind.STAFF_PASSWORD_RESET:
        token = issue_reset_token(reset_staff_id(row.dedupe_key), row.created_at, now)
        url = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/staff/password/reset/{token}"
        text = text.replace(RESET_URL_PLACEHOLDER, url)
        html = html.replace(RESET_URL_PLACEHOLDER, url)
    message = Message(subject=row.subject, sender=row.sender, recipients=[row.recipient], body=text, html=html)
    message.msgId = row.message_id
    if row.ics:
        message.attach(
            "appointment.ics",
            f"text/calendar; method={row.ics_method}; charset=UTF-8",
            row.ics.encode(),
        )
    return message


def _reply(error: OSError) -> tuple[int, bytes]:
    """The SMTP code and text the server answered with, (0, b"") for a network error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # One recipient per message: its RCPT answer.
        return next(iter(error.recipients.values()), (0, b""))
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        return error.smtp_code, text if isinstance(text, bytes) else str(text).encode(errors="replace")
    return 0, b""


def _describe(error: OSError) -> str:
    """What staff see of a failed try: type, SMTP code, enhanced status and a fixed phrase.

    Never the server's own text, which may echo the address or the name.
    """
    code, text = _reply(error)
    parts = [type(error).__name__]
    if code:
        parts.append(str(code))
        status = _ENHANCED_STATUS.match(text)
        if status:
            parts.append(status.group(1).decode())
    described = " ".join(parts)
    refused = _REFUSED.get(type(error))
    return f"{described}: {refused}" if refused else described


def _permanent(error: OSError) -> bool:
    """A 5xx refusal of this message: trying again would get the same answer."""
    return isinstance(error, _MESSAGE_ERRORS) and 500 <= _reply(error)[0] <= 599


def _record_failure(row: OutboxMessage, error: OSError, now: datetime) -> bool:
    """Count a failed attempt; True if the message is now given up on (5xx, or out of tries)."""
    config = current_app.config
    row.attempts += 1
    row.last_error = _describe(error)
    if _permanent(error) or row.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.FAILED
        return True
    row.next_attempt_at = now + backoff(
        row.attempts,
        timedelta(seconds=config["OUTBOX_RETRY_BASE_SECONDS"]),
        timedelta(seconds=config["OUTBOX_RETRY_CAP_SECONDS"]),
    )
    return False


def deliver_due(
    limit: int = 1000, stop: threading.Event | None = None, channel: Channel | None = None
) -> DeliveryReport:
    """Send up to `limit` due messages (emails over one SMTP connection, texts through the provider), committing each.

    With `channel`, only that channel's messages.
    """
    from booking.mail.sms_delivery import deliver_text

    report = DeliveryReport()
    connection: Connection | None = None
    senders: dict[int, Any] = {}
    try:
        for _ in range(limit):
            if stop is not None and stop.is_set():
                break
            now = utcnow()
            claimed = _claim_next(now, channel)
            if claimed is None:
                db.session.rollback()
                break
            row, appointment = claimed
            stale = _stale(row, appointment, now)
            if stale is not None:
                row.status = stale
                db.session.commit()
                if stale is OutboxStatus.SKIPPED:
                    metrics.REMINDERS_SKIPPED_LATE.inc()
                _log_outcome(row, stale.value)
                report.voided += stale is OutboxStatus.VOID
                report.skipped += stale is OutboxStatus.SKIPPED
                continue
            if row.channel is Channel.SMS:
                outcome = deliver_text(row, appointment, now, senders)
                if outcome == "lost_lock":
                    break
                setattr(report, outcome, getattr(report, outcome) + 1)
                if outcome == "retried":
                    break  # the provider is failing: the rest wait for the next run
                continue
            try:
                message = _as_mail(row, appointment, now)
                if connection is None:
                    connection = mail.connect().__enter__()
                connection.send(message)
            except OSError as error:  # smtplib's errors and socket timeouts are OSErrors
                db.session.rollback()  # drops the unsent link's token
                relocked = db.session.get(OutboxMessage, row.id, with_for_update={"skip_locked": True})
                if relocked is None or relocked.status is not OutboxStatus.PENDING:
                    db.session.rollback()  # another worker has it now
                    break
                row = relocked
                given_up = _record_failure(row, error, now)
                report.failed += given_up
                report.retried += not given_up
                db.session.commit()
                (metrics.OUTBOX_FAILED if given_up else metrics.OUTBOX_RETRIED).labels("email").inc()
                _log_outcome(row, "failed" if given_up else "retry", error=row.last_error)
                if isinstance(error, _MESSAGE_ERRORS) and _reply(error)[0] != 421:
                    continue  # the server refused this one message: the connection carries on
                if connection is not None:
                    _close(connection)  # dropped unclosed, its socket would stay open
                    connection = None
                break
            row.status = OutboxStatus.SENT
            row.sent_at = now
            row.attempts += 1
            db.session.commit()
            report.sent += 1
            metrics.OUTBOX_SENT.labels("email").inc()
            _log_outcome(row, "sent")
    finally:
        if connection is not None:
            _close(connection)
    return report


def _log_outcome(row: OutboxMessage, outcome: str, error: str | None = None) -> None:
    """One JSON line per message handled: ids, kind, outcome; never the recipient or the text."""
    fields = {"event": "outbox", "outcome": outcome, "message_id": row.id, "clinic_id": row.clinic_id,
              "kind": row.kind.value, "attempts": row.attempts}
    if error is not None:
        fields["error"] = error  # `_describe`: the SMTP code and status, never the server's words
    log.log(logging.WARNING if outcome in ("failed", "retry") else logging.INFO, "outbox %s", outcome,
            extra=fields)


def _close(connection: Connection) -> None:
    """QUIT if the server still listens, and close the socket in any case."""
    host = connection.host
    if host is None:
        return
    with contextlib.suppress(OSError):  # a broken connection cannot say QUIT
        host.quit()
    with contextlib.suppress(OSError):
        host.close()
