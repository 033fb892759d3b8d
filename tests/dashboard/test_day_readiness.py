"""The day sheet's readiness: the right facts per visit, and no query per visit (N+1)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import time_machine

from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentSeries,
    AppointmentStatus,
    ChangeRequest,
    Clinic,
    ConsultationRequest,
    Patient,
)
from tests.factories import chairs, create_clinic, create_request, service
from tests.support.clinic_time import local
from tests.support.sql import recorded_sql

DAY = date(2026, 6, 4)
NOON = datetime(2026, 6, 4, 17, tzinfo=timezone.utc)


def fill(clinic: Clinic, visits: int) -> list[Appointment]:
    """`visits` infusions on DAY, each of its own patient, with a series, a change request and a flagged request."""
    series_patient = Patient(clinic_id=clinic.id, full_name="Sam Series", email="sam@example.com",
                             phone="+13125550100", date_of_birth=date(1980, 1, 1))
    db.session.add(series_patient)
    db.session.flush()
    series = AppointmentSeries(clinic_id=clinic.id, patient_id=series_patient.id, service_id=service(clinic, "infusion").id)
    db.session.add(series)
    db.session.flush()
    made = []
    for i in range(visits):
        patient = series_patient if i == 0 else Patient(
            clinic_id=clinic.id, full_name=f"Pat {i}", email=f"p{i}@example.com", phone="+13125550101",
            date_of_birth=date(1980, 1, 1))
        db.session.add(patient)
        db.session.flush()
        start = local(clinic, DAY, 8 + (i // 4) * 2, 0)  # four chairs, two hours apart
        infusion = service(clinic, "infusion")
        a = Appointment(clinic_id=clinic.id, service_id=infusion.id, chair_id=chairs(clinic)[i % 4].id,
                        patient_id=patient.id, starts_at=start, ends_at=start + timedelta(minutes=60),
                        blocked_until=start + timedelta(minutes=105), series_id=series.id if i == 0 else None,
                        driver_name="Dana" if i % 2 else "", driver_phone="+13125550199" if i % 2 else "",
                        driver_confirmed_at=NOON if i % 2 else None)
        db.session.add(a)
        db.session.flush()
        made.append(a)
        if i % 3 == 0:
            db.session.add(ChangeRequest(clinic_id=clinic.id, appointment_id=a.id,
                                         preferred_times=[(start + timedelta(days=1)).isoformat()]))
    # Sam's series: a first session two days before (completed), this one, and one after.
    room = chairs(clinic)[0]
    for days, status in ((-2, AppointmentStatus.COMPLETED), (2, AppointmentStatus.BOOKED)):
        start = local(clinic, DAY + timedelta(days=days), 9)
        db.session.add(Appointment(clinic_id=clinic.id, service_id=service(clinic, "infusion").id, chair_id=room.id,
                                   patient_id=series_patient.id, starts_at=start, ends_at=start + timedelta(hours=1),
                                   blocked_until=start + timedelta(hours=2), series_id=series.id, status=status))
    consult_start = local(clinic, DAY - timedelta(days=10), 9)
    db.session.add(Appointment(clinic_id=clinic.id, service_id=service(clinic, "consult").id, chair_id=room.id,
                               patient_id=series_patient.id, starts_at=consult_start,
                               ends_at=consult_start + timedelta(minutes=45), blocked_until=consult_start + timedelta(minutes=45),
                               status=AppointmentStatus.COMPLETED))
    db.session.commit()
    flagged: ConsultationRequest = create_request(clinic, name="Pat One", flagged=True)
    flagged.patient_id = made[1].patient_id if visits > 1 else None
    db.session.commit()
    return made


def list_card(page: str, appointment: Appointment) -> str:
    """The visit's card in the arrivals list."""
    start = page.index(f'data-visit-card="{appointment.id}-list"')
    return page[start:page.index("</ol>", start) if "<li id=" not in page[start:] else page.index("<li id=", start)]


def statements_for_day(app: Any, client: Any) -> tuple[int, str]:
    with recorded_sql(db.engine) as log:
        page = client.get(f"/dashboard/day?date={DAY}").get_data(as_text=True)
    return len(log.statements), page


def test_readiness_facts_and_a_fixed_number_of_queries(app: Any, ctx: None, signed_in: Any) -> None:
    with time_machine.travel(NOON, tick=False):
        small, large = create_clinic(1, chairs=4), create_clinic(2, chairs=4)
        fill(small, 2)
        visits = fill(large, 12)
        few, _ = statements_for_day(app, signed_in(small))
        many, page = statements_for_day(app, signed_in(large))
    assert many == few, f"{few} statements for 2 visits, {many} for 12"
    card = list_card(page, visits[0])
    assert "Series 2 of 3" in card and "Consultation done" in card and "Patient asked for another time" in card
    second = list_card(page, visits[1])
    assert "Driver named and confirmed" in second and "Screening review pending" in second
    assert "No completed consultation" in second
    assert "4 change requests" in page  # visits 0, 3, 6 and 9
