"""The day sheet: a free time on a chair is a link to book it; a cancelled visit leaves a block to fill."""
from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from booking.extensions import db
from booking.models import Appointment, AppointmentStatus, AuditAction, AuditEvent, Canceller, Role, utcnow
from tests.factories import chairs, create_appointment, create_patient, service


def _tomorrow_at(clinic: Any, hour: int, minute: int = 0) -> datetime:
    day = clinic.today(utcnow()) + timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=clinic.zone)


def test_free_cells_link_to_a_booking_page_for_that_chair_and_time(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    chair = chairs(clinic)[0]
    client = signed_in(clinic)
    start = _tomorrow_at(clinic, 10)
    page = client.get(f"/dashboard/day?date={start.date().isoformat()}").get_data(as_text=True)
    links = [parse_qs(urlsplit(html.unescape(link)).query)
             for link in re.findall(r'href="(/dashboard/book\?[^"]+)"', page)]
    assert {"chair": [str(chair.id)], "start": [start.isoformat()]} in links
    form = client.get(f"/dashboard/book?chair={chair.id}&start={start.isoformat()}")
    assert form.status_code == 200
    assert "Book Chair 1" in form.get_data(as_text=True)


def test_booking_a_free_cell_goes_through_the_booking_operation(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    chair = chairs(clinic)[0]
    patient = create_patient(clinic, "Ana Núñez")
    client = signed_in(clinic)
    start = _tomorrow_at(clinic, 10)
    found = client.get("/dashboard/book", query_string={"chair": chair.id, "start": start.isoformat(), "q": "ana nunez"})
    assert f'value="{patient.id}"' in found.get_data(as_text=True)
    answer = client.post("/dashboard/book", data={
        "chair_id": chair.id, "start": start.isoformat(), "patient_id": patient.id,
        "service_id": service(clinic, "consult").id, "key": "k1",
    })
    # An infusion needs a consultation first; a consultation needs a consult room, not a chair.
    assert answer.status_code == 409
    room = chairs(clinic, kind=chairs(clinic)[0].kind.__class__("consult"))[0]
    answer = client.post("/dashboard/book", data={
        "chair_id": room.id, "start": start.isoformat(), "patient_id": patient.id,
        "service_id": service(clinic, "consult").id, "key": "k2",
    })
    assert answer.status_code == 303
    booked = db.session.scalar(select(Appointment).where(Appointment.patient_id == patient.id))
    assert booked.starts_at == start and booked.chair_id == room.id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.APPOINTMENT_BOOKED))


def test_a_taken_time_gets_the_conflict_answer_with_nearest_times(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    room = [c for c in clinic.chairs if c.kind.value == "consult"][0]
    start = _tomorrow_at(clinic, 10)
    create_appointment(clinic, service(clinic, "consult"), room, start)
    patient = create_patient(clinic, "Bea Late")
    client = signed_in(clinic)
    answer = client.post("/dashboard/book", data={
        "chair_id": room.id, "start": start.isoformat(), "patient_id": patient.id,
        "service_id": service(clinic, "consult").id, "key": "k3",
    })
    text = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "just taken" in text and "Nearest free times" in text
    assert "Bea Late" in text  # the chosen patient is kept


def test_no_patient_chosen_is_refused_with_the_search_kept(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    chair = chairs(clinic)[0]
    client = signed_in(clinic)
    answer = client.post("/dashboard/book", data={
        "chair_id": chair.id, "start": _tomorrow_at(clinic, 10).isoformat(), "q": "nobody", "key": "k4"})
    assert answer.status_code == 422
    assert "Choose a patient" in answer.get_data(as_text=True)
    assert 'value="nobody"' in answer.get_data(as_text=True)


def test_another_clinic_s_chair_is_not_found(make_clinic: Any, signed_in: Any) -> None:
    mine, theirs = make_clinic(), make_clinic()
    client = signed_in(mine)
    start = _tomorrow_at(mine, 10)
    assert client.get(f"/dashboard/book?chair={chairs(theirs)[0].id}&start={start.isoformat()}").status_code == 404


def test_clinicians_who_cannot_schedule_get_no_booking_links(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    client = signed_in(clinic, role=Role.CLINICIAN)
    page = client.get(f"/dashboard/day?date={_tomorrow_at(clinic, 10).date().isoformat()}").get_data(as_text=True)
    can_schedule = client.get(f"/dashboard/book?chair={chairs(clinic)[0].id}&start={_tomorrow_at(clinic, 10).isoformat()}")
    assert ("/dashboard/book?" in page) == (can_schedule.status_code == 200)


def test_a_cancelled_visit_leaves_a_freed_block_to_fill(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    chair = chairs(clinic)[0]
    start = _tomorrow_at(clinic, 9)
    cancelled_at = _tomorrow_at(clinic, 7, 12) - timedelta(days=1)
    create_appointment(clinic, service(clinic, "infusion"), chair, start, status=AppointmentStatus.CANCELLED,
                       cancelled_at=cancelled_at, cancelled_by=Canceller.PATIENT, cancel_reason="ill")
    client = signed_in(clinic)
    page = client.get(f"/dashboard/day?date={start.date().isoformat()}").get_data(as_text=True)
    assert "Freed at 7:12" in page and "by cancellation" in page
    block = page[page.index('class="freed"'):]
    assert 'rowspan="4"' in block[:40]  # 60 min infusion + 45 min recovery over 30-minute rows
    assert f"chair={chair.id}" in block[:1200] and "Fill this time" in block[:1200]


def test_a_freed_block_booked_again_shows_the_new_visit(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    chair = chairs(clinic)[0]
    start = _tomorrow_at(clinic, 9)
    create_appointment(clinic, service(clinic, "infusion"), chair, start, status=AppointmentStatus.CANCELLED,
                       cancelled_at=utcnow())
    create_appointment(clinic, service(clinic, "infusion"), chair, start)
    page = signed_in(clinic).get(f"/dashboard/day?date={start.date().isoformat()}").get_data(as_text=True)
    assert "by cancellation" not in page
