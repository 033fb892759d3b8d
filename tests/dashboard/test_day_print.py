"""The printed day sheet: every visit with phone, service, chair, readiness, driver and pickup, on Letter or A4."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from booking.models import utcnow
from tests.factories import chairs, create_appointment, service


def test_the_print_view_lists_what_the_front_desk_needs(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    day = clinic.today(utcnow()) + timedelta(days=1)
    start = datetime.combine(day, time(9), tzinfo=clinic.zone)
    create_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], start,
                       driver_name="Dee Driver", driver_phone="+13125550199")
    client = signed_in(clinic)
    sheet = client.get(f"/dashboard/day?date={day.isoformat()}").get_data(as_text=True)
    assert f"/dashboard/day/print?date={day.isoformat()}" in sheet and "Print day sheet" in sheet
    page = client.get(f"/dashboard/day/print?date={day.isoformat()}").get_data(as_text=True)
    for expected in ("9:00", "Pat Booked", "(312) 555-0100", "Infusion", "Chair 1", "Not confirmed",
                     "Dee Driver, (312) 555-0199", "Pickup 10:45"):
        assert expected in page, expected
    assert "css/print-letter.css" in page  # a US clinic prints on Letter
    assert "css/print-a4.css" in client.get(f"/dashboard/day/print?date={day.isoformat()}&paper=a4").get_data(as_text=True)


def test_a_clinic_outside_north_america_prints_on_a4(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic(phone_region="GB", timezone="Europe/London")
    page = signed_in(clinic).get("/dashboard/day/print").get_data(as_text=True)
    assert "css/print-a4.css" in page and "No visits." in page
