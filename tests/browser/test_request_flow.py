"""A patient asks for a consultation in a real browser, on a phone and on a desktop."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import NoResultFound

from booking.extensions import db
from booking.models import Clinic, ConsultationRequest
from tests.support.browser import DESKTOP, PHONE, shot


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions", slug="lakeside")


def fill_details(page: Any) -> None:
    page.get_by_label("Full name").fill("Robin Browser")
    page.get_by_label("Email", exact=True).fill("robin@example.com")
    page.get_by_label("Phone", exact=True).fill("312 555 0177")
    page.get_by_label("Date of birth").fill("1985-04-12")
    page.get_by_label("Depression").check()
    for question in ("high blood pressure", "alcohol or drug", "psychosis", "pregnant"):
        page.get_by_role("group", name=question).get_by_label("No", exact=True).check()
    page.get_by_role("group", name="drive you home").get_by_label("Yes", exact=True).check()
    page.get_by_label("I have read the privacy notice").check()


def stored_request() -> ConsultationRequest:
    db.session.expire_all()
    return db.session.scalars(select(ConsultationRequest)).one()


def test_phone_with_javascript_picks_times_from_the_date_strip(
    browser: Any, live_server: str, clinic: Clinic
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/lakeside/")
    shot(page, "phone-clinic-page")
    page.get_by_role("link", name="Request a consultation").first.click()

    strip = page.locator("[data-date-strip] button")
    strip.first.wait_for()
    assert page.locator("[data-nojs-slots]").count() == 0  # replaced by the picker
    strip.nth(2).click()
    slots = page.locator("[data-slot-list] button")
    slots.nth(0).click()
    slots.nth(3).click()
    assert slots.nth(0).get_attribute("aria-pressed") == "true"
    chosen = page.locator("[data-chosen-inputs] input").evaluate_all("els => els.map(e => e.value)")
    assert len(chosen) == 2
    fill_details(page)
    shot(page, "phone-request-form")
    page.get_by_role("button", name="Send request").click()

    page.get_by_role("heading", name="Request received").wait_for()
    shot(page, "phone-request-received")
    assert "Lakeside Infusions has your request" in page.content()
    stored = stored_request()
    assert [p.starts_at for p in stored.preferred_times] == sorted(datetime.fromisoformat(v) for v in chosen)
    assert errors == []
    context.close()


def test_desktop_without_javascript_uses_the_server_list(
    browser: Any, live_server: str, clinic: Clinic
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/lakeside/request")
    boxes = page.locator("[data-nojs-slots] input[type=checkbox]")
    assert boxes.count() > 10
    boxes.nth(1).check()
    value = boxes.nth(1).get_attribute("value")
    fill_details(page)
    shot(page, "desktop-nojs-request-form")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Request received").wait_for()
    shot(page, "desktop-request-received")
    assert [p.starts_at for p in stored_request().preferred_times] == [datetime.fromisoformat(value)]
    context.close()


def test_errors_are_listed_linked_and_keep_answers(
    browser: Any, live_server: str, clinic: Clinic
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/lakeside/request")
    page.get_by_label("Full name").fill("Robin Browser")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_role("button", name="Send request").click()

    summary = page.get_by_role("alert")
    summary.wait_for()
    shot(page, "phone-request-errors")
    assert "cannot be in the future" in summary.inner_text()
    assert page.get_by_label("Full name").input_value() == "Robin Browser"
    # Each field's message is announced with the field.
    dob = page.get_by_label("Date of birth")
    assert dob.get_attribute("aria-invalid") == "true"
    assert "date_of_birth-error" in dob.get_attribute("aria-describedby")
    # The summary links take keyboard users to the field.
    summary.get_by_role("link", name="Date of birth").click()
    assert page.evaluate("document.activeElement.id") == "date_of_birth"
    # Every visible form control has a label.
    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll('form input:not([type=hidden]), form textarea')]
              .filter(el => el.offsetParent !== null && el.labels.length === 0).map(el => el.name)"""
    )
    assert unlabeled == []
    with pytest.raises(NoResultFound):
        stored_request()
    context.close()


def test_keyboard_only_can_choose_a_time(browser: Any, live_server: str, clinic: Clinic) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server}/lakeside/request")
    first_slot = page.locator("[data-slot-list] button").first
    first_slot.wait_for()
    first_slot.focus()
    page.keyboard.press("Space")
    assert first_slot.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Enter")
    assert first_slot.get_attribute("aria-pressed") == "false"
    context.close()


def test_the_date_strip_speaks_spanish(browser: Any, live_server: str, clinic: Clinic) -> None:
    # A Spanish browser: the page, the picker's words and its dates are Spanish.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="es-MX")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/lakeside/request")
    strip = page.locator("[data-date-strip] button")
    strip.first.wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Todavía no ha elegido ningún horario (hasta 3)." in page.locator("div.chosen").inner_text()
    strip.nth(2).click()
    status = page.locator("[data-picker-status]").inner_text()
    assert re.fullmatch(r"\d+ horarios libres el \w+, \d+ de \w+\.?", status), status
    assert re.search(r"\d+ libres", strip.nth(2).inner_text())
    page.locator("[data-slot-list] button").nth(0).click()
    chosen = page.locator("div.chosen").inner_text()
    assert "Sus elecciones (1 de 3)" in chosen and "Quitar" in chosen
    assert re.search(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo)", chosen), chosen
    assert errors == []
    context.close()
