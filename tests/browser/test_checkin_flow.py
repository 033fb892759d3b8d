"""A patient checks in on a phone; a clinician sees the urgent flag and the scores chart."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from booking.models import Clinic, Instrument, Role
from tests.factories import STAFF_PASSWORD, service
from tests.support.browser import PHONE, shot
from tests.support.checkin import ask, infusion_tomorrow
from tests.support.manage import link_for

SHOTS = Path("/tmp/checkin-shots")


def keep(page: Any, name: str) -> None:
    shot(page, name)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(Path(__file__).parent / "screenshots" / f"{name}.png", SHOTS / f"{name}.png")
    page.screenshot(path=str(SHOTS / f"{name}-top.png"))  # what the screen shows first


def answer_all(page: Any, prefix: str, items: int, values: list[int]) -> None:
    for n in range(1, items + 1):
        page.locator(f"input[name={prefix}_{n}][value='{values[n - 1]}']").check()


def test_patient_checks_in_on_a_phone_and_a_clinician_acknowledges(
    browser: Any, live_server: str, make_clinic: Any, make_appointment: Any, make_staff: Any
) -> None:
    clinic: Clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    ask(service(clinic, "infusion"), Instrument.PHQ9, Instrument.GAD7)
    appt = infusion_tomorrow(clinic, make_appointment, name="Robin Phone")
    url = live_server + link_for(appt) + "/checkin"
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)  # works without JavaScript
    page = context.new_page()
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    keep(page, "checkin-phone-empty")
    # Sent half done: errors per item, what was chosen kept.
    page.locator("#fasting_confirmed").check()
    page.locator("input[name=phq9_1][value='2']").check()
    page.get_by_role("button", name="Send my check-in").click()
    page.locator("#error-summary").wait_for()
    assert page.locator("input[name=phq9_1][value='2']").is_checked()
    assert page.locator("#phq9_9 .field-error").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    keep(page, "checkin-phone-errors")
    page.locator("#driver_name").fill("Sam Driver")
    page.locator("#driver_phone").fill("312 555 0199")
    page.locator("#driver_confirmed").check()
    answer_all(page, "phq9", 9, [2, 2, 1, 1, 1, 0, 0, 0, 1])
    answer_all(page, "gad7", 7, [1, 1, 1, 1, 0, 0, 0])
    page.get_by_role("button", name="Send my check-in").click()
    page.get_by_text("Thank you: you are checked in.").wait_for()
    assert page.locator("#crisis").is_visible()
    assert page.get_by_role("link", name="988").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    keep(page, "checkin-phone-crisis")
    context.close()

    clinician = make_staff(clinic, role=Role.CLINICIAN)
    staff = browser.new_context(viewport={"width": 1366, "height": 900})
    page = staff.new_page()
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("Email").fill(clinician.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    day = appt.starts_at.astimezone(clinic.zone).date().isoformat()
    page.goto(f"{live_server}/dashboard/day?date={day}")
    banner = page.locator(".urgent")
    assert "Robin Phone" in banner.inner_text()
    keep(page, "checkin-day-urgent")
    banner.get_by_role("link").click()
    page.get_by_role("button", name="Acknowledge: I have seen this").click()
    page.get_by_text("Acknowledged").first.wait_for()
    page.goto(f"{live_server}/dashboard/patients/{appt.patient_id}")
    assert page.locator("svg.score-chart title").first.text_content() == "PHQ-9 across visits"
    keep(page, "checkin-patient-chart")
    page.goto(f"{live_server}/dashboard/day?date={day}")
    assert page.locator(".urgent").count() == 0
    staff.close()
