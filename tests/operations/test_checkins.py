"""The database keeps the check-in invariants: one current check-in per visit, a superseded one never current."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.exc import IntegrityError

from booking.extensions import db
from booking.models import Appointment, CheckIn, Clinic
from tests.support.checkin import infusion_tomorrow


@pytest.fixture
def visit(make_clinic: Callable[..., Clinic], make_appointment: Callable[..., Appointment]) -> Appointment:
    return infusion_tomorrow(make_clinic(), make_appointment)


def _checkin(visit: Appointment, **values: object) -> CheckIn:
    row = CheckIn(clinic_id=visit.clinic_id, appointment_id=visit.id, patient_id=visit.patient_id, **values)
    db.session.add(row)
    return row


def test_two_current_check_ins_for_one_visit_are_refused(visit: Appointment) -> None:
    _checkin(visit)
    db.session.commit()
    _checkin(visit)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_superseded_check_in_cannot_be_current(visit: Appointment) -> None:
    first = _checkin(visit, is_current=False)
    db.session.flush()
    second = _checkin(visit, is_current=False)  # neither current: only the CHECK can refuse
    db.session.flush()
    first.is_current = True
    first.superseded_by_id = second.id
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_self_harm_answer_always_needs_a_clinician(visit: Appointment) -> None:
    _checkin(visit, self_harm=True, needs_clinician=False)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
