"""A per-clinic counter that changes whenever anything availability depends on changes.

Any flush that adds, changes or deletes an appointment, opening hours, a closure,
a chair, a service or the clinic's own rules bumps `Clinic.booking_counter` in
the same transaction. Caches of computed availability key on it, so they can
never serve free times from before a change.
"""
from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from booking.models import Appointment, Chair, Clinic, Closure, OpeningHours, Service

_TRACKED = (Appointment, OpeningHours, Closure, Chair, Service)


@event.listens_for(Session, "before_flush")
def bump_calendar_versions(session: Session, flush_context: Any, instances: Any) -> None:
    """Bump the counter of every clinic whose calendar this flush touches."""
    clinic_ids: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, _TRACKED) and obj.clinic_id is not None:
            clinic_ids.add(obj.clinic_id)
        elif isinstance(obj, Clinic) and obj in session.dirty and session.is_modified(obj):
            clinic_ids.add(obj.id)
    for clinic_id in sorted(clinic_ids):
        session.execute(
            update(Clinic).where(Clinic.id == clinic_id).values(booking_counter=Clinic.booking_counter + 1),
            execution_options={"synchronize_session": False},
        )
