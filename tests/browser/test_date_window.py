"""The request form's days of free times, a week at a time: earlier and later, with and without JavaScript."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Clinic, ConsultationRequest
from tests.browser.test_request_flow import fill_details
from tests.support.browser import DESKTOP, PHONE, shot
from tests.support.clinic_time import days_ahead

WINDOW = 7  # booking.config.REQUEST_FORM_WINDOW_DAYS


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    clinic: Clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    clinic.horizon_days = 20
    db.session.commit()
    return clinic


def listed_days(page: Any) -> set[str]:
    """The days with times in the list a page without JavaScript shows."""
    values = page.locator("[data-nojs-slots] input[type=checkbox]").evaluate_all("els => els.map(e => e.value)")
    return {value[:10] for value in values}


def strip_days(page: Any) -> list[str]:
    """Every day of the slot picker's strip, in order."""
    return page.locator("[data-date-strip] button").evaluate_all("els => els.map(e => e.dataset.date)")


def strip_days_with_times(page: Any) -> set[str]:
    return set(page.locator("[data-date-strip] button:not([disabled])").evaluate_all("els => els.map(e => e.dataset.date)"))


def week(first: date) -> list[str]:
    return [(first + timedelta(days=n)).isoformat() for n in range(WINDOW)]


def test_without_javascript_later_and_earlier_keep_everything_typed(
    browser: Any, live_server: str, clinic: Clinic
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/lakeside/request")
    today = days_ahead(clinic, 0)
    assert listed_days(page) <= set(week(today)) and listed_days(page)
    assert page.get_by_role("button", name="Earlier dates").count() == 0  # nothing before today
    page.get_by_label("Full name").fill("Robin Window")
    page.get_by_label("Medications you take now").fill("lithium 300mg")
    first = page.locator("[data-nojs-slots] input[type=checkbox]").first
    first_value = first.get_attribute("value")
    first.check()

    page.get_by_role("button", name="Later dates").click()
    page.wait_for_url("**/lakeside/request")
    assert listed_days(page) <= set(week(today + timedelta(days=WINDOW))) and listed_days(page)
    # Nothing typed or chosen is lost, and what was chosen on other days is said.
    assert page.get_by_label("Full name").input_value() == "Robin Window"
    assert page.get_by_label("Medications you take now").input_value() == "lithium 300mg"
    assert page.locator("#error-summary").count() == 0
    assert "Also chosen, on other dates:" in page.locator("[data-nojs-slots]").inner_text()
    assert page.locator(f'input[type=hidden][name=preferred_times][value="{first_value}"]').count() == 1
    shot(page, "desktop-nojs-later-dates")
    later = page.locator("[data-nojs-slots] input[type=checkbox]").nth(2)
    later_value = later.get_attribute("value")
    later.check()

    # The last window holds the horizon (20 days): no later one.
    page.get_by_role("button", name="Later dates").click()
    assert page.get_by_role("button", name="Later dates").count() == 0
    page.get_by_role("button", name="Earlier dates").click()
    assert listed_days(page) <= set(week(today + timedelta(days=WINDOW)))
    assert page.locator(f'input[type=checkbox][value="{later_value}"]').is_checked()

    # Enter in a field sends the form (the form's first button is "Send request", not "Later dates").
    fill_details(page)
    page.get_by_label("Full name").press("Enter")
    page.get_by_role("heading", name="Request received").wait_for()
    db.session.expire_all()
    stored = db.session.scalars(select(ConsultationRequest)).one()
    assert stored.full_name == "Robin Browser"
    assert sorted(p.starts_at for p in stored.preferred_times) == sorted(
        datetime.fromisoformat(v) for v in (first_value, later_value))
    context.close()


def test_with_javascript_the_strip_shows_the_same_days_as_the_list(
    browser: Any, live_server: str, clinic: Clinic
) -> None:
    today = days_ahead(clinic, 0)
    second = (today + timedelta(days=WINDOW)).isoformat()
    plain = browser.new_context(viewport=PHONE, java_script_enabled=False)
    listed = plain.new_page()
    listed.goto(f"{live_server}/lakeside/request?from={second}")
    without_script = listed_days(listed)
    plain.close()

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/lakeside/request")
    page.locator("[data-date-strip] button").first.wait_for()
    assert strip_days(page) == week(today)
    assert page.locator("[data-date-strip] [aria-current=date]").count() == 1
    earlier = page.get_by_role("button", name="Earlier dates")
    later = page.get_by_role("button", name="Later dates")
    assert earlier.get_attribute("aria-disabled") == "true"
    page.locator("[data-slot-list] button").first.click()

    later.click()
    page.wait_for_function(f"document.querySelector('[data-date-strip] button').dataset.date === '{second}'")
    assert strip_days(page) == week(today + timedelta(days=WINDOW))
    assert strip_days_with_times(page) == without_script  # the same days as without JavaScript
    assert page.url.endswith(f"/lakeside/request?from={second}")
    assert earlier.get_attribute("aria-disabled") is None
    current = page.locator("[data-date-strip] [aria-current=date]")
    assert current.count() == 1 and current.get_attribute("data-date") in without_script
    page.locator("[data-slot-list] button").nth(1).click()
    assert page.locator("[data-chosen-inputs] input").count() == 2  # a choice on another week stays
    shot(page, "phone-later-dates")

    # The keyboard: Enter on "Later dates" moves on, focus stays on the button; at the end it says so.
    later.focus()
    page.keyboard.press("Enter")
    last = (today + timedelta(days=2 * WINDOW)).isoformat()
    page.wait_for_function(f"document.querySelector('[data-date-strip] button').dataset.date === '{last}'")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Later dates"
    assert later.get_attribute("aria-disabled") == "true"  # 14 + 7 days pass the 20-day horizon
    page.keyboard.press("Enter")
    assert strip_days(page)[0] == last
    assert "to" in page.locator("[data-window-range]").inner_text()

    # A reload shows the days the address names, as the page without JavaScript would.
    page.goto(f"{live_server}/lakeside/request?from={second}")
    page.locator("[data-date-strip] button").first.wait_for()
    assert strip_days(page) == week(today + timedelta(days=WINDOW))
    assert errors == []
    context.close()


def test_the_window_speaks_spanish(browser: Any, live_server: str, clinic: Clinic) -> None:
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    page = context.new_page()
    page.goto(f"{live_server}/lakeside/request")
    page.locator("[data-date-strip] button").first.wait_for()
    assert page.get_by_role("button", name="Fechas siguientes").inner_text().strip() == "Siguientes ›"
    assert page.get_by_role("button", name="Fechas anteriores").get_attribute("aria-disabled") == "true"
    assert page.locator("[data-window-range]").inner_text().startswith("del ")
    context.close()
