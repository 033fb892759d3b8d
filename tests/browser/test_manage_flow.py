"""A patient opens their appointment link on a phone, confirms, and names a driver."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Appointment, AppointmentStatus, MessageKind, OutboxMessage
from tests.factories import chairs, service
from tests.support.browser import PHONE, shot
from tests.support.clinic_time import days_ahead, local
from tests.support.manage import link_for


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}  # the real forms, tokens and all


def test_patient_confirms_and_saves_a_driver_on_a_phone(
    browser: Any, live_server: str, make_clinic: Any, make_appointment: Any
) -> None:
    clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    appt = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0],
                            local(clinic, days_ahead(clinic, 3), 10))
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    # The 422 of the refused form is logged as a failed load; anything else is a real error.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "422" not in m.text else None)
    page.goto(live_server + link_for(appt))
    page.get_by_role("heading", name="Your appointment").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "phone-manage-page")

    page.get_by_role("button", name="Confirm I will come").click()
    page.get_by_text("Thank you: your appointment is confirmed.").wait_for()
    assert page.get_by_role("button", name="Confirm I will come").count() == 0

    page.get_by_label("Driver's or support person's name").fill("Sam Driver")
    page.get_by_label("Their phone number").fill("12")
    page.get_by_role("button", name="Save driver details").click()
    page.get_by_role("alert").filter(has_text="Please check").wait_for()
    shot(page, "phone-manage-driver-errors")
    # The form posts to #error-summary, so the summary is in view, not the top of the page.
    top = page.evaluate("document.getElementById('error-summary').getBoundingClientRect().top")
    assert -1 <= top < PHONE["height"] / 2  # a pixel of rounding when the anchor is scrolled to
    page.get_by_role("link", name="Their phone number").click()  # the summary leads to the field
    assert page.evaluate("document.activeElement.id") in ("phone", "")

    page.get_by_label("Their phone number").fill("312 555 0199")
    page.get_by_label("Their email", exact=True).fill("sam@example.net")
    page.get_by_label("Send my driver a note with the pickup time").check()
    page.get_by_label("My driver is confirmed").check()
    page.get_by_role("button", name="Save driver details").click()
    page.get_by_text("We will email Sam Driver the pickup time.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "phone-manage-driver-saved")
    assert page.evaluate("window.scrollY") == 0  # the "saved" message at the top is in view

    page.get_by_role("link", name="Ask for another time").click()
    page.locator("input[name=times]").first.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "phone-manage-reschedule")
    page.get_by_role("link", name="Back to your appointment").click()
    page.get_by_role("link", name="Cancel this appointment").click()
    page.get_by_text("Are you sure?").wait_for()
    shot(page, "phone-manage-cancel")
    assert errors == []
    context.close()

    db.session.expire_all()
    saved = db.session.get(Appointment, appt.id)
    assert saved.status is AppointmentStatus.CONFIRMED
    assert (saved.driver_name, saved.driver_phone) == ("Sam Driver", "+13125550199")
    assert saved.driver_confirmed_at is not None
    notes = db.session.scalars(select(OutboxMessage.kind).filter_by(kind=MessageKind.DRIVER_PICKUP)).all()
    assert notes == [MessageKind.DRIVER_PICKUP]
