"""Front desk in a real browser: sign in, open the queue, book a preferred time, see it on the day."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from booking.extensions import db
from booking.models import Appointment, Role
from tests.factories import STAFF_PASSWORD
from tests.support.browser import DESKTOP, PHONE, shot
from tests.support.clinic_time import days_ahead, local


def test_front_desk_books_a_request_in_two_clicks(
    browser: Any, live_server: str, make_clinic: Any, make_request: Any, make_staff: Any
) -> None:
    clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    start = local(clinic, days_ahead(clinic, 2), 10)
    make_request(clinic, start, name="Robin Queue")
    user = make_staff(clinic, role=Role.FRONT_DESK)

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server}/dashboard/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Requests").click()
    shot(page, "desktop-request-queue")
    page.get_by_role("link", name="Robin Queue").click()
    page.get_by_role("button", name="Book ").first.click()  # click 2
    page.get_by_text("Consultation booked.").wait_for()
    shot(page, "desktop-appointment")
    db.session.expire_all()
    appointment = db.session.scalars(select(Appointment)).one()
    assert appointment.starts_at == start

    page.goto(f"{live_server}/dashboard/day?date={days_ahead(clinic, 2)}")
    assert page.get_by_role("link", name="Robin Queue").count() == 2  # grid and arrivals
    shot(page, "desktop-day-view")
    context.close()


def test_day_view_on_a_phone(browser: Any, live_server: str, make_clinic: Any, make_staff: Any) -> None:
    clinic = make_clinic(slug="lakeside")
    user = make_staff(clinic, role=Role.ADMIN)
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Chairs").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # the grid scrolls inside its box, not the page
    shot(page, "phone-day-view")
    context.close()
