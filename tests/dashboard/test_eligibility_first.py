"""Eligibility first: the patient page and the series form say what is missing before offering infusions."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from booking.extensions import db
from booking.models import AppointmentStatus, ReviewDecision, Role, utcnow
from tests.factories import create_appointment, create_patient, create_request, service


def _completed_consult(clinic: Any, patient: Any) -> None:
    room = [c for c in clinic.chairs if c.kind.value == "consult"][0]
    past = datetime.combine(clinic.today(utcnow()) - timedelta(days=3), time(10), tzinfo=clinic.zone)
    visit = create_appointment(clinic, service(clinic, "consult"), room, past, status=AppointmentStatus.COMPLETED)
    visit.patient_id = patient.id
    db.session.commit()


def test_a_new_patient_page_offers_the_consultation_not_infusion_times(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    patient = create_patient(clinic)
    client = signed_in(clinic)
    page = client.get(f"/dashboard/patients/{patient.id}").get_data(as_text=True)
    assert "Infusion eligibility:" in page and "Not yet" in page and "none yet" in page
    assert "Book the consultation first" in page
    day = (clinic.today(utcnow()) + timedelta(days=2)).isoformat()
    infusion = client.get(f"/dashboard/patients/{patient.id}?service={service(clinic, 'infusion').id}&day={day}")
    text = infusion.get_data(as_text=True)
    assert "No infusion times" in text and 'name="start"' not in text
    assert "Book an infusion series" not in text  # a plan would be refused
    consult = client.get(f"/dashboard/patients/{patient.id}?service={service(clinic, 'consult').id}&day={day}")
    assert 'name="start"' in consult.get_data(as_text=True)


def test_a_pending_review_blocks_infusions_after_the_consultation(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    patient = create_patient(clinic)
    _completed_consult(clinic, patient)
    flagged = create_request(clinic, utcnow() + timedelta(days=1), flagged=True)
    flagged.patient_id = patient.id
    db.session.commit()
    client = signed_in(clinic)
    page = client.get(f"/dashboard/patients/{patient.id}").get_data(as_text=True)
    assert "<strong>done</strong>" in page and "<strong>pending</strong>" in page
    flagged.review_decision = ReviewDecision.CLEARED
    db.session.commit()
    day = (clinic.today(utcnow()) + timedelta(days=2)).isoformat()
    cleared = client.get(f"/dashboard/patients/{patient.id}?service={service(clinic, 'infusion').id}&day={day}")
    text = cleared.get_data(as_text=True)
    assert "Eligible" in text and 'name="start"' in text and "Book an infusion series" in text


def test_the_series_form_proposes_no_plan_the_booking_would_refuse(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    patient = create_patient(clinic)
    client = signed_in(clinic)
    first = (clinic.today(utcnow()) + timedelta(days=1)).isoformat()
    query = {"service_id": service(clinic, "infusion").id, "count": 3, "within_days": 10, "min_gap_days": 1,
             "first_day": first}
    refused = client.get(f"/dashboard/patients/{patient.id}/series", query_string=query)
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "No plan proposed" in text and "Proposed sessions" not in text and "Book the consultation first" in text
    _completed_consult(clinic, patient)
    planned = client.get(f"/dashboard/patients/{patient.id}/series", query_string=query)
    assert planned.status_code == 200 and "Proposed sessions" in planned.get_data(as_text=True)


def test_a_clinician_may_plan_anyway_with_the_override(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    patient = create_patient(clinic)
    client = signed_in(clinic, role=Role.CLINICIAN)
    first = (clinic.today(utcnow()) + timedelta(days=1)).isoformat()
    query = {"service_id": service(clinic, "infusion").id, "count": 2, "within_days": 10, "min_gap_days": 1,
             "first_day": first, "override": "1"}
    page = client.get(f"/dashboard/patients/{patient.id}/series", query_string=query).get_data(as_text=True)
    assert "Consult-first override is on" in page and "Proposed sessions" in page
