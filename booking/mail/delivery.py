"""Delivering due outbox messages over SMTP, one locked row at a time."""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import Message
from sqlalchemy import select

from booking.extensions import db, mail
from booking.models import OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

# Refusals of one message; anything else (or a 421) means the server is the
# problem, so the run stops and the rest wait for the next one.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff(attempts: int, base: timedelta, cap: timedelta) -> timedelta:
    """Delay before the next try: doubles with every attempt, up to `cap`."""
    return min(base * (2 ** (attempts - 1)), cap)


def _claim_next(now: datetime) -> OutboxMessage | None:
    # SKIP LOCKED lets several senders share the queue without taking the same row.
    return db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def _as_mail(row: OutboxMessage) -> Message:
    message = Message(
        subject=row.subject,
        sender=row.sender,
        recipients=[row.recipient],
        body=row.body_text,
        html=row.body_html,
    )
    message.msgId = row.message_id
    return message


def _record_failure(row: OutboxMessage, error: Exception, now: datetime) -> bool:
    """Count a failed attempt; True if the message is now given up on."""
    config = current_app.config
    row.attempts += 1
    # Only the error's type and SMTP code: the text may echo an address.
    code = getattr(error, "smtp_code", "")
    row.last_error = f"{type(error).__name__} {code}".strip()
    if row.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.FAILED
        return True
    row.next_attempt_at = now + backoff(
        row.attempts,
        timedelta(seconds=config["OUTBOX_RETRY_BASE_SECONDS"]),
        timedelta(seconds=config["OUTBOX_RETRY_CAP_SECONDS"]),
    )
    return False


def deliver_due(limit: int = 1000) -> DeliveryReport:
    """Send up to `limit` due messages over one SMTP connection, committing each."""
    report = DeliveryReport()
    connection = None
    try:
        for _ in range(limit):
            now = utcnow()
            row = _claim_next(now)
            if row is None:
                db.session.rollback()
                break
            try:
                if connection is None:
                    connection = mail.connect().__enter__()
                connection.send(_as_mail(row))
            except OSError as error:  # smtplib's errors and socket timeouts are OSErrors
                log.warning("outbox message %s not sent: %s", row.id, type(error).__name__)
                if _record_failure(row, error, now):
                    report.failed += 1
                else:
                    report.retried += 1
                db.session.commit()
                if not isinstance(error, _MESSAGE_ERRORS) or getattr(error, "smtp_code", 0) == 421:
                    break
                continue
            row.status = OutboxStatus.SENT
            row.sent_at = now
            row.attempts += 1
            db.session.commit()
            report.sent += 1
    finally:
        if connection is not None:
            try:
                connection.__exit__(None, None, None)
            except (smtplib.SMTPException, OSError):
                pass
    return report
