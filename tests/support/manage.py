"""The patient's appointment page: secret links, CSRF tokens, and what the patient's actions touched."""
from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import inspect, select

from booking.extensions import db
from booking.mail.links import issue_token
from booking.models import Appointment, AuditAction, AuditEvent, ChangeRequest, ManageToken, OutboxMessage, utcnow

# Words that must never reach the driver's note.
CANARY_CONDITION = "CANARYCOND"
CANARY_MEDICATION = "CANARYMED"
SURNAME = "Canarysurname"


def link_for(appointment: Appointment) -> str:
    """A fresh secret link to `appointment`'s page."""
    token = issue_token(appointment, utcnow())
    db.session.commit()
    return f"/manage/{token}"


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a patient's actions could touch."""
    db.session.expire_all()
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for model in (Appointment, ChangeRequest, OutboxMessage, AuditEvent, ManageToken):
        keys = [attr.key for attr in inspect(model).column_attrs]
        rows = db.session.scalars(select(model).order_by(model.id)).all()
        tables[model.__tablename__] = [tuple(getattr(row, key) for key in keys) for row in rows]
    return tables


def actions(appointment_id: int) -> list[AuditAction]:
    """Audit actions recorded for an appointment, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "appointment", AuditEvent.entity_id == appointment_id)
            .order_by(AuditEvent.id)
        )
    )


def csrf_from(client: FlaskClient, path: str) -> str:
    """The CSRF token from a page's form."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match is not None, "no CSRF token on the page"
    return match.group(1)
