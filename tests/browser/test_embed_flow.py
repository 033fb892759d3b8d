"""The request form on a clinic's own website, in Chromium, with no cookie reaching the frame.

The clinic's page is served from http://localhost:PORT and the app from http://127.0.0.1:PORT2:
different sites. Every request to the app has its Cookie header removed and every answer its
Set-Cookie, and the app records what arrived, so the journey proves that no cookie is needed.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask, request
from sqlalchemy import select

from booking.extensions import db
from booking.models import Clinic, ConsultationRequest
from tests.support.browser import PHONE, SCREENSHOTS
from tests.support.embed import allow
from tests.support.parent_site import FRAME, parent_site
from tests.support.waiting import eventually

DESKTOP = {"width": 1366, "height": 900}
PATIENT_DATA = ("Robin", "Framewell", "robin@example.com", "555", "0177", "1985", "depression")


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions", slug="lakeside")


@pytest.fixture
def cookies_seen(app: Flask) -> list[str]:
    """Cookie headers the app received (there must be none)."""
    seen: list[str] = []

    def record() -> None:
        if request.headers.get("Cookie"):
            seen.append(f"{request.path}: {request.headers['Cookie']}")

    app.before_request_funcs.setdefault(None, []).insert(0, record)
    return seen


def without_cookies(route: Any) -> None:
    """Pass the request on without its Cookie header; hand back the answer without Set-Cookie."""
    headers = {k: v for k, v in route.request.headers.items() if k.lower() != "cookie"}
    response = route.fetch(headers=headers, max_redirects=0)
    kept = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
    route.fulfill(response=response, headers=kept)


def fill_in(frame: Any) -> None:
    frame.get_by_label("Full name").fill("Robin Framewell")
    frame.get_by_label("Email", exact=True).fill("robin@example.com")
    frame.get_by_label("Phone", exact=True).fill("312 555 0177")
    frame.get_by_label("Date of birth").fill("1985-04-12")
    frame.get_by_label("Depression").check()
    for question in ("high blood pressure", "alcohol or drug", "psychosis", "pregnant"):
        frame.get_by_role("group", name=question).get_by_label("No", exact=True).check()
    frame.get_by_role("group", name="drive you home").get_by_label("Yes", exact=True).check()
    frame.get_by_label("I have read the privacy notice").check()


def events_of(page: Any) -> list[str]:
    return [e["type"] for e in page.evaluate("window.clinicEvents")]


@pytest.mark.parametrize("instant", [False, True], ids=["request", "instant-booking"])
def test_a_patient_sends_the_form_inside_the_clinics_website(
    browser: Any, live_server: str, clinic: Clinic, cookies_seen: list[str], instant: bool
) -> None:
    clinic.instant_booking = instant
    db.session.commit()
    with parent_site(live_server, "lakeside") as site:
        allow(clinic, site)
        context = browser.new_context(viewport=DESKTOP)
        context.route(f"{live_server}/**", without_cookies)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{site}/?utm_source=newsletter&utm_medium=email&utm_campaign=spring")
        frame = page.frame_locator("iframe[data-clinicbooking]")
        frame.get_by_role("heading", name="Request a consultation").wait_for()
        assert eventually(lambda: events_of(page) == ["clinicbooking:ready"])
        # The frame took the form's height: no scroll bar inside it.
        iframe = page.locator("iframe[data-clinicbooking]")
        inner = frame.locator("html")
        assert eventually(lambda: abs(iframe.evaluate("f => f.getBoundingClientRect().height")
                                      - inner.evaluate("h => h.getBoundingClientRect().height")) < 2)
        assert inner.evaluate("h => h.scrollHeight <= window.innerHeight + 1")
        # What the clinic's visitor sees (the viewport: Chromium paints a cross-site frame only there).
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"embedded-form{'-instant' if instant else ''}.png"))

        frame.locator("[data-slot-list] button").first.click()
        fill_in(frame)
        frame.get_by_role("button", name="Send request").click()
        heading = "Your consultation is booked" if instant else "Request received"
        frame.get_by_role("heading", name=heading).wait_for()
        expected = ["clinicbooking:ready", "clinicbooking:ready", "clinicbooking:request_submitted"]
        if instant:
            expected.append("clinicbooking:booked")
        assert eventually(lambda: events_of(page) == expected), events_of(page)
        # The next page is brought into view, at its own height.
        assert eventually(lambda: -1 < iframe.evaluate("f => f.getBoundingClientRect().top") < DESKTOP["height"])
        page.screenshot(path=str(SCREENSHOTS / f"embedded-received{'-instant' if instant else ''}.png"))

        # Nothing the patient typed went to the clinic's page, in any event or message.
        details = json.dumps(page.evaluate("window.clinicEvents"))
        messages = page.evaluate("window.clinicMessages")
        assert all(m["origin"] == live_server for m in messages)
        for word in PATIENT_DATA:
            assert word not in details and all(word not in m["data"] for m in messages), word
        assert {e["detail"]["clinic"] for e in page.evaluate("window.clinicEvents")} == {"lakeside"}
        context.close()

    db.session.expire_all()
    stored = db.session.scalars(select(ConsultationRequest)).one()
    assert (stored.full_name, stored.source) == ("Robin Framewell", "website")
    assert (stored.utm_source, stored.utm_medium, stored.utm_campaign) == ("newsletter", "email", "spring")
    assert cookies_seen == []
    assert errors == [], errors


def test_a_website_not_on_the_list_is_refused_by_the_browser(
    browser: Any, live_server: str, clinic: Clinic
) -> None:
    with parent_site(live_server, "lakeside") as allowed, parent_site(live_server, "lakeside") as other:
        allow(clinic, allowed)
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        refusals: list[str] = []
        page.on("console", lambda m: refusals.append(m.text) if "frame-ancestors" in m.text else None)
        page.goto(f"{other}/")
        assert eventually(lambda: refusals != [], timeout=10), "Chromium did not refuse the frame"
        [frame] = [f for f in page.frames if f is not page.main_frame]
        assert frame.locator("#full_name").count() == 0
        assert page.evaluate("window.clinicEvents") == []
        context.close()


def test_the_plain_frame_works_without_javascript(browser: Any, live_server: str, clinic: Clinic,
                                                  cookies_seen: list[str]) -> None:
    # For sites that forbid scripts: the <iframe> snippet, with JavaScript off everywhere.
    with parent_site(live_server, "lakeside", snippet=FRAME) as site:
        allow(clinic, site)
        context = browser.new_context(viewport=PHONE, java_script_enabled=False)
        context.route(f"{live_server}/**", without_cookies)
        page = context.new_page()
        page.goto(f"{site}/")
        frame = page.frame_locator("iframe")
        frame.get_by_role("heading", name="Request a consultation").wait_for()
        frame.locator("[data-nojs-slots] input[name=preferred_times]").first.check()
        fill_in(frame)
        frame.get_by_role("button", name="Send request").click()
        frame.get_by_role("heading", name="Request received").wait_for()
        assert frame.get_by_text("Thank you, Robin.").count() == 1
        context.close()
    db.session.expire_all()
    stored = db.session.scalars(select(ConsultationRequest)).one()
    assert (stored.full_name, stored.source, stored.utm_source) == ("Robin Framewell", "website", None)
    assert cookies_seen == []
