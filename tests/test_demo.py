"""The demo's busy today: whoever signs in sees a front desk's day in the clinic's own zone."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from booking.dashboard.day_grid import build_grid, mark_freed
from booking.demo import seed_demo
from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    ChangeRequest,
    ChangeRequestStatus,
    Clinic,
    ConsultationRequest,
    OpeningHours,
    Patient,
    RequestStatus,
    Service,
)
from booking.queries.duplicates import find_duplicates
from booking.queries.eligibility import eligibility
from booking.queries.schedule import cancelled_entries, clinic_chairs, day_entries

# 01:30 UTC on Thursday is still Wednesday evening in Chicago: "today" is the clinic's, not UTC's.
LATE_EVENING = datetime(2026, 12, 10, 1, 30, tzinfo=timezone.utc)
MORNING = datetime(2026, 12, 9, 15, 10, tzinfo=timezone.utc)  # 9:10 in Chicago


def _clinic(slug: str) -> Clinic:
    return db.session.scalar(select(Clinic).filter_by(slug=slug))


@pytest.mark.parametrize("now", [MORNING, LATE_EVENING])
def test_the_demo_has_a_busy_today_in_each_clinic_s_zone(ctx: None, now: datetime) -> None:
    seed_demo(now.date(), now)
    db.session.commit()
    for slug in ("riverside-infusion", "harbor-ketamine"):
        clinic = _clinic(slug)
        today = clinic.today(now)
        entries = day_entries(clinic, today)
        assert all(clinic.today(e.appointment.starts_at) == today for e in entries)
        statuses = {e.appointment.status for e in entries}
        assert {AppointmentStatus.COMPLETED, AppointmentStatus.ARRIVED, AppointmentStatus.CONFIRMED,
                AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW} <= statuses, slug
        # One patient asks to move a visit of today.
        today_ids = {e.appointment.id for e in entries}
        asks = db.session.scalars(select(ChangeRequest).filter_by(clinic_id=clinic.id,
                                                                  status=ChangeRequestStatus.OPEN)).all()
        assert [c.appointment_id in today_ids for c in asks] == [True]
        # The queue holds a flagged request and a duplicate of a known patient.
        open_requests = db.session.scalars(select(ConsultationRequest).where(
            ConsultationRequest.clinic_id == clinic.id,
            ConsultationRequest.status.in_((RequestStatus.NEW, RequestStatus.NEEDS_REVIEW)))).all()
        assert any(r.needs_clinician_review and r.review_decision is None for r in open_requests)
        duplicates = find_duplicates(clinic, open_requests)
        assert any(d.patient is not None for d in duplicates.values())
        # A cleared patient with no infusion yet: ready for a series.
        ready = db.session.scalar(select(Patient).filter_by(clinic_id=clinic.id, full_name="Riley Ready"))
        assert eligibility(ready).may_have_infusions
        # A cancellation today leaves a freed block on the day sheet.
        hours = db.session.scalars(select(OpeningHours).filter_by(clinic_id=clinic.id)).all()
        grid = build_grid(today, clinic.zone, list(hours), clinic_chairs(clinic), entries)
        mark_freed(grid, cancelled_entries(clinic, today))
        assert any(cell.kind == "freed" for _, cells in grid.rows for cell in cells), slug


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_second_run_the_same_day_adds_nothing_and_a_later_day_gets_its_own(ctx: None) -> None:
    seed_demo(MORNING.date(), MORNING)
    db.session.commit()
    first = (count(Appointment), count(Patient), count(ConsultationRequest), count(Service))
    seed_demo(MORNING.date(), MORNING)
    db.session.commit()
    assert (count(Appointment), count(Patient), count(ConsultationRequest), count(Service)) == first
    later = MORNING.replace(day=11)
    seed_demo(later.date(), later)
    db.session.commit()
    clinic = _clinic("riverside-infusion")
    assert day_entries(clinic, clinic.today(later))
    assert count(Patient) == first[1]  # the same demo people come back
