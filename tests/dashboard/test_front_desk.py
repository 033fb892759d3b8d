"""The front desk's day through the dashboard: timely moves, undo, inline on the day sheet, the driver,
a patient's change request answered where staff work, and the clinic's timing settings."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    ChairKind,
    ChangeRequest,
    ChangeRequestStatus,
    Clinic,
    Language,
    MessageKind,
    OutboxMessage,
    Role,
)
from tests.factories import chairs, service
from tests.support.clinic_time import local
from tests.support.stored import count, events, fresh

A = AppointmentStatus
DAY = date(2026, 6, 4)  # a Thursday in Chicago's summer time
AT_1231 = datetime(2026, 6, 4, 17, 31, tzinfo=timezone.utc)  # 12:31 CDT


@pytest.fixture
def frozen() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(AT_1231, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic(make_clinic: Any, frozen: Any) -> Clinic:
    return make_clinic(chairs=2)


@pytest.fixture
def visits(clinic: Clinic, make_appointment: Any) -> tuple[Appointment, Appointment]:
    """A 1:30 PM infusion and a 4:00 PM one, on the day it is 12:31 PM."""
    one_thirty = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, DAY, 13, 30))
    four = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[1], local(clinic, DAY, 16))
    return one_thirty, four


def post_status(client: Any, appointment: Appointment, status: str, **more: str) -> Any:
    return client.post(f"/dashboard/appointments/{appointment.id}/status", data={"status": status, **more})


def page_of(client: Any, appointment: Appointment) -> str:
    return client.get(f"/dashboard/appointments/{appointment.id}").get_data(as_text=True)


def buttons(html: str) -> list[str]:
    """The visible words of every button."""
    found = re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)
    return [re.sub(r'<span class="visually-hidden">.*?</span>', "", b).strip() for b in found]


def test_the_reported_morning_is_refused_and_the_page_keeps_its_buttons(
    clinic: Clinic, visits: tuple[Appointment, Appointment], signed_in: Any
) -> None:
    one_thirty, four = visits
    desk = signed_in(clinic)
    assert post_status(desk, one_thirty, "confirmed").status_code == 303
    assert post_status(desk, one_thirty, "arrived").status_code == 303
    assert post_status(desk, one_thirty, "completed").status_code == 409  # an hour before it starts
    assert post_status(desk, four, "no_show").status_code == 409
    assert post_status(desk, four, "arrived").status_code == 409  # 3.5 hours early
    assert fresh(Appointment, one_thirty.id).status is A.ARRIVED
    assert fresh(Appointment, four.id).status is A.BOOKED
    page = page_of(desk, one_thirty)
    assert "Undo arrived (back to confirmed)" in buttons(page)
    assert "Later today: completed from 1:30 PM." in page
    four_page = page_of(desk, four)
    assert "Later today: check in from 2:00 PM; completed from 4:00 PM; no-show from 4:15 PM." in four_page
    assert "Check in (arrived)" not in buttons(four_page) and "Mark no-show" not in buttons(four_page)


def test_an_outcome_is_undone_with_a_reason_the_same_day_only(
    clinic: Clinic, visits: tuple[Appointment, Appointment], signed_in: Any, frozen: Any
) -> None:
    one_thirty, _ = visits
    desk = signed_in(clinic)
    post_status(desk, one_thirty, "arrived")
    frozen.move_to(datetime(2026, 6, 4, 19, 31, tzinfo=timezone.utc))  # 2:31 PM
    desk = signed_in(clinic)  # (the last session went idle meanwhile)
    assert post_status(desk, one_thirty, "completed").status_code == 303
    page = page_of(desk, one_thirty)
    assert "Undo completed (back to arrived)" in buttons(page)
    assert "Why undo completed?" in page
    undo = f"/dashboard/appointments/{one_thirty.id}/undo"
    assert desk.post(undo, data={}).status_code == 409  # no reason
    assert fresh(Appointment, one_thirty.id).status is A.COMPLETED
    assert desk.post(undo, data={"reason": "not_finished"}).status_code == 303
    assert fresh(Appointment, one_thirty.id).status is A.ARRIVED
    [event] = events(AuditAction.APPOINTMENT_STATUS_UNDONE.value)
    assert event.details["reason"] == "not_finished" and event.staff_id == desk.user.id
    assert post_status(desk, one_thirty, "completed").status_code == 303
    frozen.move_to(datetime(2026, 6, 5, 14, tzinfo=timezone.utc))  # the next morning
    desk = signed_in(clinic)
    assert desk.post(undo, data={"reason": "mistake"}).status_code == 409
    page = page_of(desk, one_thirty)
    assert not any(b.startswith("Undo") for b in buttons(page))
    assert "Nothing to change now: marked completed on" in page


def test_inline_from_the_day_sheet_comes_back_to_the_visit(
    clinic: Clinic, visits: tuple[Appointment, Appointment], signed_in: Any
) -> None:
    one_thirty, four = visits
    desk = signed_in(clinic)
    sheet = desk.get(f"/dashboard/day?date={DAY}").get_data(as_text=True)
    card = sheet[sheet.index(f'data-visit-card="{one_thirty.id}-list"'):sheet.index(f'data-visit-card="{four.id}-list"')]
    assert "Check in (arrived)" in buttons(card) and "Mark completed" not in buttons(card)
    assert 'name="back" value="day"' in card and "csrf_token" in card
    response = post_status(desk, one_thirty, "arrived", back="day")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/dashboard/day?date={DAY}#visit-{one_thirty.id}")
    # The script's way: the visit's fresh fragment, both placements, with the undo.
    fragment = desk.post(f"/dashboard/appointments/{one_thirty.id}/undo", data={"back": "day"},
                         headers={"X-Requested-With": "fetch"})
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert f'data-visit-card="{one_thirty.id}-list"' in html and f'data-visit-card="{one_thirty.id}-grid"' in html
    assert "<html" not in html and "Undone: arrived is now booked." in html
    assert fresh(Appointment, one_thirty.id).status is A.BOOKED
    refused = post_status(desk, four, "no_show", back="day")
    assert refused.status_code == 303 and fresh(Appointment, four.id).status is A.BOOKED


def test_driver_confirmed_needs_a_driver_or_whom_staff_spoke_to(
    clinic: Clinic, visits: tuple[Appointment, Appointment], signed_in: Any
) -> None:
    one_thirty, _ = visits
    desk = signed_in(clinic)
    assert "No driver on file. Confirmed by phone with" in page_of(desk, one_thirty)
    url = f"/dashboard/appointments/{one_thirty.id}/driver"
    assert desk.post(url, data={}).status_code == 422
    assert fresh(Appointment, one_thirty.id).driver_confirmed_at is None
    assert desk.post(url, data={"confirmed_with": "Jo Smith (sister)"}).status_code == 303
    assert "yes, by phone with Jo Smith (sister)" in page_of(desk, one_thirty)
    assert "Undo driver confirmed" in buttons(page_of(desk, one_thirty))
    assert desk.post(f"{url}/undo", data={}).status_code == 303
    assert fresh(Appointment, one_thirty.id).driver_confirmed_at is None


def test_readiness_in_words_on_the_day_sheet(
    clinic: Clinic, visits: tuple[Appointment, Appointment], signed_in: Any
) -> None:
    one_thirty, _ = visits
    sheet = signed_in(clinic).get(f"/dashboard/day?date={DAY}").get_data(as_text=True)
    for words in ("Attendance not confirmed", "No driver named", "Fasting plan not acknowledged", "Screening cleared",
                  "No completed consultation"):
        assert words in sheet, words
    assert '<span aria-hidden="true">!</span> No driver named' in sheet  # a mark, not colour alone


def ask_for(appointment: Appointment, *times: datetime) -> ChangeRequest:
    item = ChangeRequest(clinic_id=appointment.clinic_id, appointment_id=appointment.id,
                         preferred_times=[t.isoformat() for t in times])
    db.session.add(item)
    db.session.commit()
    return item


def test_a_change_request_shows_where_staff_work_and_moves_in_one_click(
    clinic: Clinic, make_appointment: Any, signed_in: Any
) -> None:
    tomorrow = DAY + timedelta(days=1)
    visit = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, tomorrow, 9))
    wanted = local(clinic, tomorrow, 14)
    item = ask_for(visit, wanted)
    desk = signed_in(clinic)
    page = page_of(desk, visit)
    assert "The patient asked for another time" in page
    assert "Move to Fri, Jun 5, 2:00 PM" in buttons(page)
    sheet = desk.get(f"/dashboard/day?date={tomorrow}").get_data(as_text=True)
    assert "Patient asked for another time" in sheet and "Move to Fri, Jun 5, 2:00 PM" in buttons(sheet)
    assert re.search(r'<span class="tag alert">1</span> patient asks to change a time', desk.get(
        "/dashboard/").get_data(as_text=True))
    response = desk.post(f"/dashboard/change-requests/{item.id}/move", data={"start": wanted.isoformat(), "back": "day"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#visit-{visit.id}")
    assert fresh(Appointment, visit.id).starts_at == wanted
    assert fresh(ChangeRequest, item.id).status is ChangeRequestStatus.DONE
    assert count(OutboxMessage, kind=MessageKind.APPOINTMENT_RESCHEDULED) == 1


def test_a_time_gone_says_so_with_the_nearest_free_times(clinic: Clinic, make_appointment: Any, signed_in: Any) -> None:
    tomorrow = DAY + timedelta(days=1)
    visit = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, tomorrow, 9))
    wanted = local(clinic, tomorrow, 14)
    for chair in chairs(clinic):  # both chairs taken at 2 PM since the patient asked
        make_appointment(clinic, service(clinic, "infusion"), chair, wanted)
    item = ask_for(visit, wanted)
    response = signed_in(clinic).post(f"/dashboard/change-requests/{item.id}/move", data={"start": wanted.isoformat()})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "The time the patient asked for is no longer free." in html
    assert "Nearest free times" in html and any(b.startswith("Move to") for b in buttons(html))
    assert fresh(Appointment, visit.id).starts_at == local(clinic, tomorrow, 9)
    assert fresh(ChangeRequest, item.id).status is ChangeRequestStatus.OPEN


def test_declining_emails_the_patient_in_their_language(clinic: Clinic, make_appointment: Any, signed_in: Any) -> None:
    tomorrow = DAY + timedelta(days=1)
    visit = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, tomorrow, 9))
    visit.patient.language = Language.ES
    db.session.commit()
    item = ask_for(visit, local(clinic, tomorrow, 14))
    desk = signed_in(clinic)
    url = f"/dashboard/change-requests/{item.id}/decline"
    assert desk.post(url, data={"message": "  "}).status_code == 422
    assert desk.post(url, data={"message": "We are full that afternoon; call us to find another day."}).status_code == 303
    assert fresh(ChangeRequest, item.id).status is ChangeRequestStatus.DISMISSED
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == MessageKind.CHANGE_DECLINED)).all()
    assert "sigue" in mail.subject  # Spanish: "Su cita ... sigue el ..."
    assert "We are full that afternoon" in mail.body_text
    assert "Infusion" not in mail.subject + mail.body_text  # neutral label, not the service's name
    assert [e.action for e in events(AuditAction.CHANGE_REQUEST_DECLINED.value)] == [AuditAction.CHANGE_REQUEST_DECLINED]
    assert "We are full" not in str(events(AuditAction.CHANGE_REQUEST_DECLINED.value)[0].details)


def test_admins_set_the_front_desk_timing(clinic: Clinic, visits: tuple[Appointment, Appointment],
                                          signed_in: Any) -> None:
    _, four = visits
    admin = signed_in(clinic, role=Role.ADMIN)
    assert signed_in(clinic).get("/dashboard/settings/front-desk").status_code == 403
    assert "Check in from (minutes before the start)" in admin.get("/dashboard/settings/front-desk").get_data(as_text=True)
    bad = admin.post("/dashboard/settings/front-desk", data={"arrival_window_minutes": "999", "no_show_grace_minutes": "5"})
    assert bad.status_code == 422 and "from 0 to 480" in bad.get_data(as_text=True)
    assert admin.post("/dashboard/settings/front-desk",
                      data={"arrival_window_minutes": "240", "no_show_grace_minutes": "5"}).status_code == 303
    saved = fresh(Clinic, clinic.id)
    assert (saved.arrival_window_minutes, saved.no_show_grace_minutes) == (240, 5)
    assert post_status(admin, four, "arrived").status_code == 303  # 12:31 is within 4 hours of 4 PM
    [event] = events(AuditAction.SETTINGS_FRONT_DESK_CHANGED.value)
    assert event.details["changes"] == {"arrival_window_minutes": [120, 240], "no_show_grace_minutes": [15, 5]}


def test_undoing_a_completed_consultation_warns_of_the_infusions_it_allowed(
    clinic: Clinic, make_appointment: Any, signed_in: Any, frozen: Any
) -> None:
    room = chairs(clinic, ChairKind.CONSULT)[0]
    consult = make_appointment(clinic, service(clinic, "consult"), room, local(clinic, DAY, 11))
    desk = signed_in(clinic)
    post_status(desk, consult, "arrived")
    post_status(desk, consult, "completed")
    assert "infusion booked that this completed consultation allowed" not in page_of(desk, consult)
    later = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, DAY + timedelta(days=3), 9))
    later.patient_id = consult.patient_id
    db.session.commit()
    page = page_of(desk, consult)
    assert "This patient has 1 infusion booked that this completed consultation allowed." in page
    assert "Undo completed (back to arrived)" in buttons(page)
