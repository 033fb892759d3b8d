"""Recording what staff did, in the same transaction as the change."""
from __future__ import annotations

from typing import Any

from booking.extensions import db
from booking.models import AuditAction, AuditEvent, StaffUser, utcnow


def record(
    clinic_id: int,
    actor_id: int | None,
    action: AuditAction,
    entity: str,
    entity_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Append one audit event (never holding patient details, only ids and codes).

    The actor's name is written down now: the log reads the same after a rename.
    """
    actor = db.session.get(StaffUser, actor_id) if actor_id is not None else None  # usually loaded
    event = AuditEvent(
        clinic_id=clinic_id,
        staff_id=actor_id,
        actor_name=actor.full_name if actor is not None else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        at=utcnow(),
        details=details,
    )
    db.session.add(event)
    return event
