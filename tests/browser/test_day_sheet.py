"""The front desk's day in a real browser: book a free cell, print the sheet, find a request-only person."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from booking.extensions import db
from booking.models import Appointment, Role
from tests.factories import STAFF_PASSWORD, chairs, create_patient, service
from tests.support.browser import DESKTOP, PHONE, shot
from tests.support.clinic_time import days_ahead, local

SHOTS = Path("/tmp/desksheet-shots")


def _sign_in(page: Any, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Chairs").wait_for()


def test_book_a_free_cell_from_the_day_sheet(browser: Any, live_server: str, make_clinic: Any, make_staff: Any,
                                             make_request: Any) -> None:
    clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    patient = create_patient(clinic, "Inés Cell")
    patient.email = "ines.cell@example.com"
    db.session.commit()
    room = [c for c in clinic.chairs if c.kind.value == "consult"][0]
    user = make_staff(clinic, role=Role.FRONT_DESK)
    day = days_ahead(clinic, 1)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    _sign_in(page, live_server, user.email)
    page.goto(f"{live_server}/dashboard/day?date={day}")
    page.get_by_role("link", name="+ Book Room at 10:00 AM").click()
    page.get_by_role("heading", name="Book Room").wait_for()
    page.get_by_role("searchbox", name="Find the patient").fill("ines cel")  # no accent, a letter short
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Inés Cell").check()
    page.get_by_label("Service").select_option(label="Initial consultation (45 min)")
    SHOTS.mkdir(exist_ok=True)
    shot(page, "desktop-book-free-cell")
    page.screenshot(path=str(SHOTS / "desktop-book-free-cell.png"), full_page=True)
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_text("Booked Inés Cell.").wait_for()
    db.session.expire_all()
    booked = db.session.scalars(select(Appointment)).one()
    assert (booked.patient_id, booked.chair_id, booked.starts_at) == (patient.id, room.id, local(clinic, day, 10))
    page.goto(f"{live_server}/dashboard/day?date={day}")
    assert page.get_by_role("link", name="Inés Cell").count() == 2  # on the grid and in the arrivals
    page.screenshot(path=str(SHOTS / "desktop-day-after-booking.png"), full_page=True)
    context.close()


def test_print_the_day_sheet(browser: Any, live_server: str, make_clinic: Any, make_staff: Any,
                             make_appointment: Any) -> None:
    clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    day = days_ahead(clinic, 1)
    for hour, chair in ((9, 0), (10, 1), (11, 0)):
        make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[chair], local(clinic, day, hour),
                         driver_name="Dee Driver", driver_phone="+13125550199")
    user = make_staff(clinic, role=Role.FRONT_DESK)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    _sign_in(page, live_server, user.email)
    page.goto(f"{live_server}/dashboard/day?date={day}")
    page.get_by_role("link", name="Print day sheet").click()
    page.get_by_role("heading", name="Lakeside Infusions").wait_for()
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".no-print").first.is_hidden()
    assert page.locator(".print-sheet tbody tr").count() == 3
    assert "Pickup 10:45 AM" in page.locator(".print-sheet").inner_text()
    page.screenshot(path=str(SHOTS / "print-day-sheet.png"), full_page=True)
    pdf = page.pdf(format="Letter", prefer_css_page_size=True)
    assert pdf[:4] == b"%PDF"
    context.close()


def test_the_header_search_finds_a_person_who_only_sent_a_request(
    browser: Any, live_server: str, make_clinic: Any, make_staff: Any, make_request: Any
) -> None:
    clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    item = make_request(clinic, local(clinic, days_ahead(clinic, 3), 10), name="Zoë Requestonly")
    user = make_staff(clinic, role=Role.FRONT_DESK)
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    _sign_in(page, live_server, user.email)
    page.get_by_role("searchbox", name="Search patients and requests").fill("zoe requestonyl")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Requests (1)").wait_for()
    link = page.get_by_role("link", name="Zoë Requestonly")
    assert link.get_attribute("href") == f"/dashboard/requests/{item.id}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SHOTS / "phone-search.png"), full_page=True)
    context.close()


def test_the_day_sheet_from_the_keyboard(browser: Any, live_server: str, make_clinic: Any, make_staff: Any,
                                         make_appointment: Any) -> None:
    clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    day = days_ahead(clinic, 1)
    appointment = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, day, 9))
    user = make_staff(clinic, role=Role.FRONT_DESK)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    _sign_in(page, live_server, user.email)
    page.goto(f"{live_server}/dashboard/day?date={day}")
    page.keyboard.press("j")  # the first visit
    assert page.evaluate("document.activeElement.textContent") == "Pat Booked"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/dashboard/appointments/{appointment.id}")
    page.go_back()
    page.keyboard.press("]")  # the next day
    page.wait_for_url(f"**/dashboard/day?date={days_ahead(clinic, 2)}")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "people-q"
    page.keyboard.type("t")  # typing in a field is not a shortcut
    assert page.url.endswith(f"date={days_ahead(clinic, 2)}")
    # Shortcuts switched off (remembered), the keys do nothing.
    page.get_by_text("Keyboard shortcuts").click()
    page.get_by_label("Use single-key shortcuts").uncheck()
    page.locator("h1").click()
    page.keyboard.press("[")
    page.reload()
    assert page.url.endswith(f"date={days_ahead(clinic, 2)}")
    context.close()
