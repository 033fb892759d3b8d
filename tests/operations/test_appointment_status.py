"""Staff's moves on an appointment: timely only, undone the same day, a final outcome voids its mail,
and "driver confirmed" only above a recorded driver."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from booking.domain.appointment_flow import IllegalStatusChange, can_reschedule
from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    AuditEvent,
    Clinic,
    MessageKind,
    OutboxMessage,
    OutboxStatus,
    utcnow,
)
from booking.operations.appointment_status import (
    DriverNotRecorded,
    confirm_driver,
    set_status,
    unconfirm_driver,
    undo_status,
)
from booking.operations.booking import Booker, BookingSpec, book
from booking.operations.patient_actions import DriverDetails, save_driver
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local

A = AppointmentStatus


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(chairs=2)


@pytest.fixture
def infusion(clinic: Clinic, make_patient: Any) -> Appointment:
    """An infusion in three days at 13:30, booked now: its confirmation and reminders are queued."""
    appointment = book(clinic, BookingSpec(
        service=service(clinic, "infusion"), patient=make_patient(clinic), start=local(clinic, days_ahead(clinic, 3), 13, 30),
        booker=Booker.STAFF, chair_id=chairs(clinic)[0].id, override_consult_first=True,
    ), actor_id=None, now=utcnow())
    db.session.commit()
    return appointment


def statuses(appointment: Appointment) -> dict[MessageKind, OutboxStatus]:
    return {m.kind: m.status for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.appointment_id == appointment.id))}


def actions() -> list[AuditAction]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_reported_morning_is_refused(clinic: Clinic, infusion: Appointment) -> None:
    # 12:31 for a 13:30 visit: confirm and check in, yes; complete, no. A 16:00 no-show at 12:31, no.
    at_1231 = infusion.starts_at - timedelta(minutes=59)
    set_status(clinic, infusion, A.CONFIRMED, actor_id=None, now=at_1231)
    set_status(clinic, infusion, A.ARRIVED, actor_id=None, now=at_1231)
    with pytest.raises(IllegalStatusChange):
        set_status(clinic, infusion, A.COMPLETED, actor_id=None, now=at_1231)
    with pytest.raises(IllegalStatusChange):
        set_status(clinic, infusion, A.ARRIVED, actor_id=None, now=infusion.starts_at - timedelta(hours=3))
    assert infusion.status is A.ARRIVED


def test_no_show_waits_for_the_clinic_s_grace(clinic: Clinic, infusion: Appointment) -> None:
    clinic.no_show_grace_minutes = 30
    with pytest.raises(IllegalStatusChange):
        set_status(clinic, infusion, A.NO_SHOW, actor_id=None, now=infusion.starts_at + timedelta(minutes=29))
    set_status(clinic, infusion, A.NO_SHOW, actor_id=None, now=infusion.starts_at + timedelta(minutes=30))
    assert infusion.status is A.NO_SHOW


def test_completing_voids_what_no_longer_makes_sense(clinic: Clinic, infusion: Appointment) -> None:
    before = statuses(infusion)
    assert before[MessageKind.APPOINTMENT_BOOKED] is OutboxStatus.PENDING
    assert MessageKind.REMINDER_FINAL in before
    start = infusion.starts_at
    set_status(clinic, infusion, A.ARRIVED, actor_id=None, now=start - timedelta(minutes=10))
    assert statuses(infusion) == before  # arriving ends nothing
    set_status(clinic, infusion, A.COMPLETED, actor_id=None, now=start + timedelta(minutes=61))
    db.session.commit()
    after = statuses(infusion)
    assert after[MessageKind.APPOINTMENT_BOOKED] is OutboxStatus.VOID
    assert all(after[k] in (OutboxStatus.VOID, OutboxStatus.SKIPPED) for k in after if k.is_reminder)
    assert OutboxStatus.PENDING not in after.values()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.APPOINTMENT_COMPLETED))
    assert len(event.details["voided_messages"]) == sum(1 for k, v in before.items() if v is OutboxStatus.PENDING)


def test_undo_goes_back_one_step_the_same_day_with_a_reason_for_an_outcome(clinic: Clinic, infusion: Appointment) -> None:
    start = infusion.starts_at
    set_status(clinic, infusion, A.CONFIRMED, actor_id=None, now=start - timedelta(hours=1))
    set_status(clinic, infusion, A.ARRIVED, actor_id=None, now=start - timedelta(minutes=5))
    set_status(clinic, infusion, A.COMPLETED, actor_id=None, now=start + timedelta(hours=1))
    with pytest.raises(IllegalStatusChange):
        undo_status(clinic, infusion, actor_id=None, now=start + timedelta(hours=2))  # no reason
    with pytest.raises(IllegalStatusChange):
        undo_status(clinic, infusion, actor_id=None, now=start + timedelta(hours=2), reason="because I said so")
    assert undo_status(clinic, infusion, actor_id=None, now=start + timedelta(hours=2), reason="mistake") is A.ARRIVED
    assert undo_status(clinic, infusion, actor_id=None, now=start + timedelta(hours=2)) is A.CONFIRMED
    assert undo_status(clinic, infusion, actor_id=None, now=start + timedelta(hours=2)) is A.BOOKED
    assert infusion.patient_confirmed_at is None
    with pytest.raises(IllegalStatusChange):
        undo_status(clinic, infusion, actor_id=None, now=start + timedelta(hours=2))  # nothing left to undo
    undone = db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.APPOINTMENT_STATUS_UNDONE)
                                .order_by(AuditEvent.id)).all()
    assert [(e.details["undone"], e.details["now"]) for e in undone] == [
        ("completed", "arrived"), ("arrived", "confirmed"), ("confirmed", "booked")]
    assert undone[0].details["reason"] == "mistake"


def test_no_undo_the_next_day(clinic: Clinic, infusion: Appointment) -> None:
    set_status(clinic, infusion, A.NO_SHOW, actor_id=None, now=infusion.starts_at + timedelta(hours=1))
    the_next_day = infusion.starts_at + timedelta(days=1)
    with pytest.raises(IllegalStatusChange):
        undo_status(clinic, infusion, actor_id=None, now=the_next_day, reason="arrived_late")
    assert infusion.status is A.NO_SHOW


def test_undoing_an_outcome_resends_only_what_still_makes_sense(clinic: Clinic, infusion: Appointment) -> None:
    # The driver's note (pickup at the end of recovery) is still ahead; the booking confirmation is not.
    save_driver(clinic, infusion, DriverDetails("Dana Driver", "+13125550199", "dana@example.com", True, True),
                infusion.starts_at - timedelta(days=1))
    db.session.commit()
    start = infusion.starts_at
    set_status(clinic, infusion, A.NO_SHOW, actor_id=None, now=start + timedelta(minutes=20))
    assert statuses(infusion)[MessageKind.DRIVER_PICKUP] is OutboxStatus.VOID
    undo_status(clinic, infusion, actor_id=None, now=start + timedelta(minutes=25), reason="arrived_late")
    after = statuses(infusion)
    assert after[MessageKind.DRIVER_PICKUP] is OutboxStatus.PENDING
    assert after[MessageKind.APPOINTMENT_BOOKED] is OutboxStatus.VOID
    # After the pickup time, an undo leaves the note void.
    set_status(clinic, infusion, A.NO_SHOW, actor_id=None, now=start + timedelta(minutes=30))
    undo_status(clinic, infusion, actor_id=None, now=infusion.blocked_until + timedelta(minutes=1), reason="mistake")
    assert statuses(infusion)[MessageKind.DRIVER_PICKUP] is OutboxStatus.VOID


def test_the_driver_is_confirmed_only_above_a_recorded_driver(make_clinic: Any, make_appointment: Any) -> None:
    clinic, other = make_clinic(), make_clinic()
    appointment = make_appointment(clinic, service(clinic, "infusion"), clinic.chairs[0], utcnow() + timedelta(days=2))
    now = utcnow()
    with pytest.raises(IllegalStatusChange):
        confirm_driver(other, appointment, actor_id=None, now=now, confirmed_with="Sam")
    with pytest.raises(DriverNotRecorded):
        confirm_driver(clinic, appointment, actor_id=None, now=now)
    with pytest.raises(DriverNotRecorded):
        confirm_driver(clinic, appointment, actor_id=None, now=now, confirmed_with="   ")
    assert appointment.driver_confirmed_at is None
    assert confirm_driver(clinic, appointment, actor_id=None, now=now, confirmed_with=" Sam  (son) ") is True
    assert confirm_driver(clinic, appointment, actor_id=None, now=now + timedelta(minutes=5)) is False
    assert (appointment.driver_confirmed_at, appointment.driver_confirmed_with) == (now, "Sam (son)")
    assert unconfirm_driver(clinic, appointment, actor_id=None, now=now) is True
    appointment.driver_name, appointment.driver_phone = "Dana Driver", "+13125550199"
    assert confirm_driver(clinic, appointment, actor_id=None, now=now) is True
    assert actions() == [AuditAction.DRIVER_CONFIRMED, AuditAction.DRIVER_UNCONFIRMED, AuditAction.DRIVER_CONFIRMED]


def test_the_database_refuses_a_confirmed_driver_nobody_named(make_clinic: Any, make_appointment: Any) -> None:
    clinic = make_clinic()
    appointment = make_appointment(clinic, service(clinic, "infusion"), clinic.chairs[0], utcnow() + timedelta(days=2))
    with pytest.raises(IntegrityError):
        db.session.execute(update(Appointment).where(Appointment.id == appointment.id)
                           .values(driver_confirmed_at=utcnow()))
    db.session.rollback()


@pytest.mark.parametrize("status", list(AppointmentStatus))
def test_only_a_booked_or_confirmed_appointment_can_be_rescheduled(
    make_clinic: Any, make_appointment: Any, status: AppointmentStatus
) -> None:
    clinic = make_clinic()
    infusion = next(s for s in clinic.services if s.slug == "infusion")
    appointment = make_appointment(clinic, infusion, clinic.chairs[0], utcnow() + timedelta(days=2), status=status)
    assert can_reschedule(appointment) is (status in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED))
