"""Retrying a failed message: due again with fresh tries and audited; nothing else is retried."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.mail.outbox import enqueue
from booking.models import AuditAction, AuditEvent, Language, MessageKind, OutboxStatus, utcnow
from booking.operations.messages import NotRetryable, retry_message

CONTEXT = {"first_name": "Bee", "preferred_times": [], "call_me": True, "consent_phone": True}


@pytest.mark.parametrize("status", list(OutboxStatus))
def test_only_a_failed_message_is_retried(make_clinic: Any, status: OutboxStatus) -> None:
    clinic = make_clinic()
    row = enqueue(clinic, kind=MessageKind.REQUEST_RECEIVED, dedupe_key="r1", to_name="Bee Canary",
                  to_email="bee@example.com", context=CONTEXT, now=utcnow() - timedelta(hours=1), language=Language.EN)
    row.status, row.attempts = status, 8
    now = utcnow()
    if status is not OutboxStatus.FAILED:
        with pytest.raises(NotRetryable):
            retry_message(clinic, row, actor_id=None, now=now)
        assert (row.status, row.attempts) == (status, 8)
        return
    retry_message(clinic, row, actor_id=None, now=now)
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.PENDING, 0, now)
    events = db.session.scalars(select(AuditEvent)).all()
    assert [(e.action, e.entity_id) for e in events] == [(AuditAction.MESSAGE_RETRIED, row.id)]


def test_another_clinics_message_is_not_retried(make_clinic: Any) -> None:
    clinic, other = make_clinic(), make_clinic()
    row = enqueue(clinic, kind=MessageKind.REQUEST_RECEIVED, dedupe_key="r1", to_name="Bee Canary",
                  to_email="bee@example.com", context=CONTEXT, now=utcnow(), language=Language.EN)
    row.status = OutboxStatus.FAILED
    with pytest.raises(NotRetryable):
        retry_message(other, row, actor_id=None, now=utcnow())
    assert row.status is OutboxStatus.FAILED
