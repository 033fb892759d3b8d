"""Appointment emails carry the minimum necessary: no condition in the service name."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from booking.extensions import db
from booking.models import MessageKind, OutboxMessage, utcnow
from booking.operations.notices import notify_patient
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local


def test_service_names_naming_a_condition_stay_out_of_email(make_clinic: Any, make_appointment: Any) -> None:
    clinic = make_clinic()
    infusion = service(clinic, "infusion")
    infusion.name = "IV infusion for chronic pain CANARY-CONDITION"
    appointment = make_appointment(clinic, infusion, chairs(clinic)[0], local(clinic, days_ahead(clinic, 3), 9))
    for kind in (MessageKind.APPOINTMENT_BOOKED, MessageKind.APPOINTMENT_RESCHEDULED, MessageKind.APPOINTMENT_CANCELLED):
        notify_patient(clinic, appointment, kind, utcnow())
    db.session.commit()
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 3
    for message in messages:
        for part in (message.subject, message.body_text, message.body_html):
            assert "CANARY" not in part and "pain" not in part.lower()
        assert "Treatment visit" in message.body_text
        assert clinic.name in message.subject
