"""The front desk's morning in Chromium: check a patient in from the day sheet, undo it, move a visit
the patient asked to move; the day sheet never scrolls sideways and axe finds nothing."""
from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from booking.extensions import db
from booking.models import Appointment, AppointmentStatus, ChangeRequest, Clinic, Role, utcnow
from tests.browser.test_accessibility import violations
from tests.factories import STAFF_PASSWORD, chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.stored import fresh

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}
SHOTS = Path(os.environ.get("FRONT_DESK_SHOTS", "/tmp/deskrules-shots"))
# Zones between them always have one where it is daytime now, so "today" has a visit to check in.
ZONES = ("America/Chicago", "Asia/Tokyo", "Europe/London")


def daytime_zone() -> str:
    return next(z for z in ZONES if 7 <= utcnow().astimezone(ZoneInfo(z)).hour < 19)


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions", slug="lakeside", timezone=daytime_zone())


@pytest.fixture
def morning(clinic: Clinic, make_appointment: Any) -> tuple[Appointment, Appointment, datetime]:
    """A visit starting in 40 minutes, and tomorrow's 9:00 visit whose patient asked for 2 PM."""
    soon = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0],
                            utcnow().replace(second=0, microsecond=0) + timedelta(minutes=40))
    tomorrow = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[1],
                                local(clinic, days_ahead(clinic, 1), 9))
    wanted = local(clinic, days_ahead(clinic, 1), 14)
    db.session.add(ChangeRequest(clinic_id=clinic.id, appointment_id=tomorrow.id, preferred_times=[wanted.isoformat()]))
    db.session.commit()
    return soon, tomorrow, wanted


def sign_in(browser: Any, live_server: str, make_staff: Any, clinic: Clinic, viewport: dict[str, int],
            javascript: bool = True) -> Any:
    user = make_staff(clinic, role=Role.FRONT_DESK)
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server}/staff/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Chairs").wait_for()
    return page


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_check_in_inline_undo_it_and_move_a_visit_the_patient_asked_to_move(
    browser: Any, live_server: str, clinic: Clinic, morning: Any, make_staff: Any
) -> None:
    soon, tomorrow, wanted = morning
    page = sign_in(browser, live_server, make_staff, clinic, WIDE)
    card = page.locator(f'[data-visit-card="{soon.id}-list"]')
    shot(page, "desk-day-before-check-in")
    url = page.url
    card.get_by_role("button", name="Check in (arrived)").click()
    page.locator(f'[data-visit-card="{soon.id}-list"] button', has_text="Undo arrived").wait_for()
    assert page.url == url  # in place: no trip anywhere
    assert page.locator("#visit-live").text_content() == "Marked arrived. You can undo it today."
    assert fresh(Appointment, soon.id).status is AppointmentStatus.ARRIVED
    grid = page.locator(f'[data-visit-card="{soon.id}-grid"]')
    assert "arrived" in grid.text_content()
    shot(page, "desk-day-checked-in")
    page.locator(f'[data-visit-card="{soon.id}-list"]').get_by_role("button", name="Undo arrived").click()
    page.locator(f'[data-visit-card="{soon.id}-list"] button', has_text="Check in (arrived)").wait_for()
    assert fresh(Appointment, soon.id).status is AppointmentStatus.BOOKED

    page.goto(f"{live_server}/dashboard/day?date={days_ahead(clinic, 1)}")
    asked = page.locator(f'[data-visit-card="{tomorrow.id}-list"] .change-request')
    assert "The patient asked for another time" in asked.text_content()
    shot(page, "desk-day-change-request")
    asked.get_by_role("button", name="Move to ").click()
    page.get_by_text("Moved to the time the patient asked for").wait_for()
    assert page.url.endswith(f"#visit-{tomorrow.id}")
    assert fresh(Appointment, tomorrow.id).starts_at == wanted
    page.context.close()


def test_without_javascript_a_check_in_comes_back_to_the_visit(
    browser: Any, live_server: str, clinic: Clinic, morning: Any, make_staff: Any
) -> None:
    soon, _, _ = morning
    page = sign_in(browser, live_server, make_staff, clinic, PHONE, javascript=False)
    page.locator(f'[data-visit-card="{soon.id}-list"]').get_by_role("button", name="Check in (arrived)").click()
    page.get_by_text("Marked arrived. You can undo it today.").wait_for()
    assert page.url.endswith(f"#visit-{soon.id}")
    assert fresh(Appointment, soon.id).status is AppointmentStatus.ARRIVED
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "wide"])
def test_the_pages_changed_fit_and_have_no_axe_violations(
    browser: Any, live_server: str, clinic: Clinic, morning: Any, make_staff: Any, size: str
) -> None:
    soon, tomorrow, _ = morning
    viewport = PHONE if size == "phone" else WIDE
    page = sign_in(browser, live_server, make_staff, clinic, viewport)
    found: list[str] = []
    user = make_staff(clinic, role=Role.ADMIN)
    for name, path in [
        ("today", "/dashboard/"),
        ("tomorrow", f"/dashboard/day?date={days_ahead(clinic, 1)}"),
        ("appointment-soon", f"/dashboard/appointments/{soon.id}"),
        ("appointment-asked", f"/dashboard/appointments/{tomorrow.id}"),
    ]:
        page.goto(live_server + path)
        page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        no_sideways_scroll(page)
        found += violations(page, f"{name} ({size})")
        shot(page, f"desk-{name}-{size}")
    page.context.close()
    admin = browser.new_context(viewport=viewport).new_page()
    admin.goto(f"{live_server}/staff/login")
    admin.get_by_label("Email").fill(user.email)
    admin.get_by_label("Password").fill(STAFF_PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.get_by_role("heading", name="Chairs").wait_for()
    admin.goto(f"{live_server}/dashboard/settings/front-desk")
    no_sideways_scroll(admin)
    found += violations(admin, f"settings-front-desk ({size})")
    shot(admin, f"desk-settings-{size}")
    admin.context.close()
    assert found == [], "\n".join(found)
