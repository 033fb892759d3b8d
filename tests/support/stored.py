"""What the database holds after a request: each helper first drops anything left uncommitted."""
from __future__ import annotations

from datetime import time
from typing import Any

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import AuditEvent, Chair, Clinic, OpeningHours, PrevisitInstructions


def fresh(model: type, record_id: int) -> Any:
    """The row as the database has it: anything the request left uncommitted is dropped."""
    db.session.rollback()
    return db.session.get(model, record_id)


def events(action: str) -> list[AuditEvent]:
    """Audit events with this action, in no particular order."""
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def count(model: type, **where: Any) -> int:
    """How many rows of `model` match `where`."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def hours_of(clinic: Clinic, weekday: int) -> list[tuple[time, time]]:
    """The clinic's opening ranges on a weekday, earliest first."""
    db.session.rollback()
    rows = db.session.scalars(select(OpeningHours).filter_by(clinic_id=clinic.id, weekday=weekday)
                              .order_by(OpeningHours.opens))
    return [(r.opens, r.closes) for r in rows]


def chair_named(clinic: Clinic, name: str) -> Chair:
    """The clinic's chair (or room) called `name`."""
    return db.session.scalar(select(Chair).filter_by(clinic_id=clinic.id, name=name))


def default_instructions(clinic: Clinic) -> PrevisitInstructions:
    """The clinic's pre-visit instructions that no service overrides."""
    db.session.rollback()
    return db.session.scalar(select(PrevisitInstructions).filter_by(clinic_id=clinic.id, service_id=None))
