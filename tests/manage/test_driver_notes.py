"""The driver's pickup note follows the appointment when staff move it."""
from __future__ import annotations

from typing import Any


def test_staff_moving_the_visit_sends_the_driver_a_new_note(make_clinic: Any, make_appointment: Any, ctx: None) -> None:
    from sqlalchemy import select

    from booking.extensions import db
    from booking.models import MessageKind, OutboxMessage, OutboxStatus, utcnow
    from booking.operations.booking import reschedule
    from booking.operations.patient_actions import DriverDetails, save_driver
    from tests.factories import chairs, service
    from tests.support.clinic_time import days_ahead, local

    clinic = make_clinic()
    start = local(clinic, days_ahead(clinic, 4), 9)
    appointment = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], start)
    save_driver(clinic, appointment, DriverDetails(name="Dana Driver", phone="+13125550199",
                                                  email="dana@example.com", may_email=True, confirmed=True), utcnow())
    db.session.commit()
    reschedule(clinic, appointment, local(clinic, days_ahead(clinic, 5), 13), None, actor_id=None, now=utcnow())
    db.session.commit()
    notes = db.session.scalars(select(OutboxMessage).filter_by(kind=MessageKind.DRIVER_PICKUP).order_by(OutboxMessage.id)).all()
    assert [n.status for n in notes] == [OutboxStatus.VOID, OutboxStatus.PENDING]
    assert notes[1].appointment_version == appointment.version
