"""A per-clinic counter that changes whenever anything availability depends on changes.

Any flush that adds, changes or deletes an appointment, opening hours, a closure,
a chair, a service or the clinic's own rules bumps `Clinic.booking_counter` in
the same transaction. Caches of computed availability key on it, so they can
never serve free times from before a change. The app factory turns this on
(`init_calendar_versions`).
"""
from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Session

from booking.extensions import db
from booking.models import Appointment, Chair, Clinic, Closure, OpeningHours, Service

_TRACKED = (Appointment, OpeningHours, Closure, Chair, Service)


def init_calendar_versions() -> None:
    """Bump calendar versions in every flush of the app's database session (once per process)."""
    if not event.contains(db.session, "before_flush", bump_calendar_versions):
        event.listen(db.session, "before_flush", bump_calendar_versions)


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


# Built once: the same statement object each time skips SQLAlchemy's per-call
# construction and result-column adaptation.
_VERSION_BY_SLUG = select(Clinic.id, Clinic.booking_counter).where(Clinic.slug == bindparam("slug"))


def clinic_version(slug: str) -> tuple[int, int] | None:
    """The clinic's id and calendar version, or None if no clinic has that slug.

    Read on an autocommit connection: one round trip, with no BEGIN and ROLLBACK
    around it, which is most of what a cached availability answer costs.
    """
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        row = connection.execute(_VERSION_BY_SLUG, {"slug": slug}).first()
    return None if row is None else (row.id, row.booking_counter)
