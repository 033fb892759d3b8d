"""Which pre-visit instructions apply to a service."""
from __future__ import annotations

from sqlalchemy import select

from booking.extensions import db
from booking.models import Clinic, PrevisitInstructions, Service


def instructions_for(clinic: Clinic, service: Service | None) -> PrevisitInstructions | None:
    """The service's own instructions if it has them, else the clinic's default."""
    rows = db.session.scalars(
        select(PrevisitInstructions).where(PrevisitInstructions.clinic_id == clinic.id)
    ).all()
    by_service = {row.service_id: row for row in rows}
    if service is not None and service.id in by_service:
        return by_service[service.id]
    return by_service.get(None)
