"""Smaller front-desk defects: the Move-to list, resource labels, the success style, the week, phone formats."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from booking.models import Clinic, utcnow
from booking.templating import phone
from tests.factories import chairs, create_appointment, service


def _room(clinic: Clinic) -> Any:
    return [c for c in clinic.chairs if c.kind.value == "consult"][0]


def _tomorrow(clinic: Clinic, hour: int) -> datetime:
    return datetime.combine(clinic.today(utcnow()) + timedelta(days=1), time(hour), tzinfo=clinic.zone)


def test_move_to_never_offers_the_visit_s_own_time(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    start = _tomorrow(clinic, 10)
    appointment = create_appointment(clinic, service(clinic, "consult"), _room(clinic), start)
    page = signed_in(clinic).get(f"/dashboard/appointments/{appointment.id}").get_data(as_text=True)
    offered = re.findall(r'name="start" value="([^"]+)"', page)
    assert offered and start.isoformat() not in offered
    assert (start + timedelta(minutes=30)).isoformat() in offered  # the next free time still is


def test_a_consult_room_is_labelled_room_and_a_chair_chair(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    client = signed_in(clinic)
    consult = create_appointment(clinic, service(clinic, "consult"), _room(clinic), _tomorrow(clinic, 10))
    infusion = create_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], _tomorrow(clinic, 11))
    assert "<dt>Room</dt><dd>Room</dd>" in client.get(f"/dashboard/appointments/{consult.id}").get_data(as_text=True)
    assert "<dt>Chair</dt><dd>Chair 1</dd>" in client.get(
        f"/dashboard/appointments/{infusion.id}").get_data(as_text=True)


def test_success_is_flashed_in_the_success_style_and_refusals_in_the_warning_style(
    make_clinic: Any, signed_in: Any
) -> None:
    clinic = make_clinic()
    client = signed_in(clinic)
    appointment = create_appointment(clinic, service(clinic, "consult"), _room(clinic), _tomorrow(clinic, 10))
    moved = client.post(f"/dashboard/appointments/{appointment.id}/reschedule",
                        data={"start": _tomorrow(clinic, 12).isoformat()}, follow_redirects=True)
    assert '<div class="notice success" role="status"><p>Appointment moved' in moved.get_data(as_text=True)
    taken = create_appointment(clinic, service(clinic, "consult"), _room(clinic), _tomorrow(clinic, 14))
    refused = client.post(f"/dashboard/appointments/{appointment.id}/reschedule",
                          data={"start": taken.starts_at.isoformat(), "chair_id": _room(clinic).id})
    assert refused.status_code == 409
    assert '<div class="notice" role="status">' in refused.get_data(as_text=True)


def test_the_week_marks_today_in_words_and_for_assistive_technology(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    page = signed_in(clinic).get("/dashboard/week").get_data(as_text=True)
    assert 'class="data week-grid"' in page and page.count("<col>") == 7
    assert page.count('aria-current="date"') == 1
    header = page[page.index('aria-current="date"'):]
    assert header.index("Today") < header.index("</th>")


def test_phones_are_shown_in_the_clinic_s_format(make_clinic: Any, signed_in: Any) -> None:
    clinic = make_clinic()
    appointment = create_appointment(clinic, service(clinic, "consult"), _room(clinic), _tomorrow(clinic, 10))
    page = signed_in(clinic).get(f"/dashboard/appointments/{appointment.id}").get_data(as_text=True)
    assert "(312) 555-0100" in page and ">+13125550100<" not in page


def test_the_phone_filter_is_national_at_home_and_international_abroad(make_clinic: Any) -> None:
    us, uk = make_clinic(), make_clinic(phone_region="GB")
    assert phone("+13125550100", us) == "(312) 555-0100"
    assert phone("+13125550100", uk) == "+1 312-555-0100"
    assert phone("+442079460018", uk) == "020 7946 0018"
    assert phone("", us) == "" and phone("not a number", us) == "not a number"
