"""Staff's flags on an appointment: the driver confirmed once, audited, by the clinic's own staff."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from booking.domain.appointment_flow import IllegalStatusChange, can_reschedule
from booking.extensions import db
from booking.models import AppointmentStatus, AuditAction, AuditEvent, utcnow
from booking.operations.appointment_status import confirm_driver


def test_the_driver_is_confirmed_once_and_audited(make_clinic: Any, make_appointment: Any) -> None:
    clinic, other = make_clinic(), make_clinic()
    infusion = next(s for s in clinic.services if s.slug == "infusion")
    appointment = make_appointment(clinic, infusion, clinic.chairs[0], utcnow() + timedelta(days=2))
    now = utcnow()
    with pytest.raises(IllegalStatusChange):
        confirm_driver(other, appointment, actor_id=None, now=now)
    assert confirm_driver(clinic, appointment, actor_id=None, now=now) is True
    assert confirm_driver(clinic, appointment, actor_id=None, now=now + timedelta(minutes=5)) is False
    assert appointment.driver_confirmed_at == now
    assert list(db.session.scalars(select(AuditEvent.action))) == [AuditAction.DRIVER_CONFIRMED]


@pytest.mark.parametrize("status", list(AppointmentStatus))
def test_only_a_booked_or_confirmed_appointment_can_be_rescheduled(
    make_clinic: Any, make_appointment: Any, status: AppointmentStatus
) -> None:
    clinic = make_clinic()
    infusion = next(s for s in clinic.services if s.slug == "infusion")
    appointment = make_appointment(clinic, infusion, clinic.chairs[0], utcnow() + timedelta(days=2), status=status)
    assert can_reschedule(appointment) is (status in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED))
