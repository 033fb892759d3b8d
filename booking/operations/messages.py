"""Staff's part in delivering mail: putting a failed message back in the queue."""
from __future__ import annotations

from datetime import datetime

from booking.domain.errors import DomainError
from booking.models import AuditAction, Clinic, OutboxMessage, OutboxStatus
from booking.operations import audit


class NotRetryable(DomainError):
    """Only a failed message of one's own clinic can be retried."""


def retry_message(clinic: Clinic, message: OutboxMessage, *, actor_id: int | None, now: datetime) -> None:
    """Make a failed message due again at `now`, with a fresh count of tries, and audit it."""
    if message.clinic_id != clinic.id or message.status is not OutboxStatus.FAILED:
        # A sent or pending message retried would be sent twice.
        raise NotRetryable("Only a failed message can be retried.")
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now
    audit.record(clinic.id, actor_id, AuditAction.MESSAGE_RETRIED, "outbox_message", message.id)
