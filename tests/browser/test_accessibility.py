"""axe-core on every page, at a phone's and a desktop's size, in both languages for patients.

The rule set is axe-core's WCAG 2.0 and 2.1 level A and AA rules (tags wcag2a, wcag2aa,
wcag21a, wcag21aa) plus its best practices (best-practice): any violation, of any impact,
fails. One browser for the whole file, one context per parametrized test, pages reused.
"""
from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.models import Channel, Clinic, Role, utcnow
from booking.operations.sms_inbound import receive_text
from tests.factories import STAFF_PASSWORD, chairs, give_sms_consent, service
from tests.support.browser import PHONE
from tests.support.clinic_time import days_ahead, local
from tests.support.embed import allow
from tests.support.manage import link_for
from tests.support.parent_site import parent_site

RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDE = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": WIDE}
AXE = Axe()


def violations(page: Any, name: str) -> list[str]:
    """axe-core's violations on the page as it is now, one line per rule and element."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": RULE_TAGS},
                                     "resultTypes": ["violations"]})
    assert results.response["passes"], f"{name}: axe-core checked nothing"
    return [
        f"{name}: {v['id']} ({v['impact']}) {node['target']} {node.get('failureSummary', '')[:200]}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions", slug="lakeside")


def fill_details(page: Any) -> None:
    """Answer every question of the request form, in either language, by position."""
    page.locator("#full_name").fill("Robin Browser")
    page.locator("#email").fill("robin@example.com")
    page.locator("#phone").fill("312 555 0177")
    page.locator("#date_of_birth").fill("1985-04-12")
    page.locator("input[name=concern]").first.check()
    for group in ("heart_condition", "substance_misuse", "psychosis_or_mania", "pregnancy"):
        page.locator(f"input[name={group}][value=no]").check()
    page.locator("input[name=support_person][value=yes]").check()
    page.locator("#consent_privacy").check()


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", VIEWPORTS)
def test_patient_pages_have_no_axe_violations(
    browser: Any, live_server: str, clinic: Clinic, make_appointment: Any, size: str, lang: str
) -> None:
    appt = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0],
                            local(clinic, days_ahead(clinic, 3), 10))
    manage = live_server + link_for(appt)
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    found: list[str] = []
    q = f"?lang={lang}"
    for name, path in [("index", "/"), ("clinic", "/lakeside/"), ("request", "/lakeside/request")]:
        response = page.goto(live_server + path + q)
        assert response is not None and response.ok, name
        found += violations(page, name)
    assert page.locator("html").get_attribute("lang") == lang

    page.locator("#full_name").fill("Robin Browser")
    page.locator("#email").fill("robin@")
    page.locator("form [type=submit]").last.click()
    page.locator("#error-summary").wait_for()
    found += violations(page, "request-errors")

    fill_details(page)
    page.locator("#email").fill("robin@example.com")
    page.locator("[data-slot-list] button").first.click()
    page.locator("form [type=submit]").last.click()
    page.wait_for_url("**/request/received**")
    found += violations(page, "received")

    for name, path in [("manage", ""), ("cancel", "/cancel"), ("reschedule", "/reschedule")]:
        response = page.goto(manage + path + q)
        assert response is not None and response.ok, name
        assert "/manage/" in page.url, name
        found += violations(page, name)
    # The pages a wrong address gets: a bad link, a missing page.
    for name, path in [("invalid-link", "/manage/not-a-real-token"), ("not-found", "/no-such-clinic/")]:
        page.goto(live_server + path + q)
        found += violations(page, name)
    context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_embedded_form_has_no_axe_violations(
    browser: Any, live_server: str, clinic: Clinic, size: str, lang: str
) -> None:
    # The form in its frame on a clinic's page of another origin: axe runs inside the frame.
    with parent_site(live_server, "lakeside", extra=f' data-lang="{lang}"') as site:
        allow(clinic, site)
        context = browser.new_context(viewport=VIEWPORTS[size])
        page = context.new_page()
        page.goto(f"{site}/")
        page.frame_locator("iframe[data-clinicbooking]").locator("#full_name").wait_for()
        [frame] = [f for f in page.frames if f is not page.main_frame]
        assert frame.locator("html").get_attribute("lang") == lang
        found = violations(frame, "embedded-form")

        frame.locator("#full_name").fill("Robin Browser")
        frame.locator("#email").fill("robin@")
        frame.locator("form [type=submit]").last.click()
        frame.locator("#error-summary").wait_for()
        found += violations(frame, "embedded-form-errors")

        fill_details(frame)
        frame.locator("#email").fill("robin@example.com")
        frame.locator("[data-slot-list] button").first.click()
        frame.locator("form [type=submit]").last.click()
        frame.wait_for_url("**/embed/received**")
        found += violations(frame, "embedded-received")
        # No horizontal scroll inside the frame at this width.
        assert frame.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_staff_pages_have_no_axe_violations(
    browser: Any, live_server: str, clinic: Clinic, make_appointment: Any, make_request: Any,
    make_staff: Any, size: str,
) -> None:
    day = days_ahead(clinic, 2)
    appt = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, day, 10))
    request = make_request(clinic, local(clinic, day, 13), name="Robin Queue", flagged=True)
    user = make_staff(clinic, role=Role.ADMIN)
    # The texts inbox with a reply waiting and one in the local SMS log.
    phone = appt.patient.phone
    give_sms_consent(clinic, phone)
    receive_text(clinic, provider_message_id="SM" + "a" * 32, phone=phone, body="Can I eat toast?", now=utcnow())
    receive_text(clinic, provider_message_id="SM" + "b" * 32, phone=phone, body="HELP", now=utcnow())
    db.session.commit()
    deliver_due(channel=Channel.SMS)
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    found: list[str] = []
    page.goto(f"{live_server}/staff/login")
    found += violations(page, "sign-in")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Chairs").wait_for()
    pages = [
        ("day", f"/dashboard/day?date={day}"),
        ("week", f"/dashboard/week?date={day}"),
        ("queue", "/dashboard/requests/"),
        ("request", f"/dashboard/requests/{request.id}"),
        ("appointment", f"/dashboard/appointments/{appt.id}"),
        ("patients", "/dashboard/patients/"),
        ("patient", f"/dashboard/patients/{appt.patient_id}"),
        ("settings", "/dashboard/settings/"),
        ("settings-embed", "/dashboard/settings/embed"),
        ("settings-front-desk", "/dashboard/settings/front-desk"),
        ("messages", "/dashboard/messages"),
        ("texts", "/dashboard/texts"),
        ("settings-messages", "/dashboard/settings/messages"),
        ("audit", "/dashboard/audit"),
        # Every other dashboard page: the free-time booking, print, search, series, export, settings.
        ("book-free-time", f"/dashboard/book?chair={chairs(clinic)[1].id}&start={local(clinic, day, 11).isoformat()}"
                           "&q=pat"),
        ("day-print", f"/dashboard/day/print?date={day}"),
        ("search", "/dashboard/search?q=robin"),
        ("series", f"/dashboard/patients/{appt.patient_id}/series"),
        ("export", "/dashboard/export"),
        ("settings-clinic", "/dashboard/settings/clinic"),
        ("settings-hours", "/dashboard/settings/hours"),
        ("settings-closures", "/dashboard/settings/closures"),
        ("settings-chairs", "/dashboard/settings/chairs"),
        ("settings-services", "/dashboard/settings/services"),
        ("settings-instructions", "/dashboard/settings/instructions"),
        ("erase a patient", f"/dashboard/patients/{appt.patient_id}/erase"),
        ("staff sign-in settings", "/dashboard/settings/staff"),
        ("two-factor", "/staff/two-factor"),
        ("forgot password", "/staff/password/forgot"),
    ]
    for name, path in pages:
        response = page.goto(live_server + path)
        assert response is not None and response.ok, name
        found += violations(page, name)
        # No dashboard page scrolls sideways: wide tables scroll inside their own region.
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            width = page.evaluate("document.documentElement.scrollWidth")
            found.append(f"{name}: scrolls sideways ({width} px wide at {VIEWPORTS[size]['width']} px)")
    page.goto(live_server + "/staff/two-factor")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    found += violations(page, "two-factor enrolment")
    context.close()
    assert found == [], "\n".join(found)


def tab_to(page: Any, selector: str, most: int = 150) -> None:
    """Press Tab until the focused element matches `selector` (WCAG 2.1.1: all by keyboard)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_request_journey(browser: Any, live_server: str, clinic: Clinic) -> None:
    # Tab, Space, Enter and typing only: no clicks, no fill(), no focus().
    context = browser.new_context(viewport=WIDE, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server}/lakeside/request")
    page.locator("[data-date-strip] button").first.wait_for()

    # A refused form: focus lands on the error summary, whose items follow the page.
    tab_to(page, "form [type=submit]")
    page.keyboard.press("Enter")
    page.locator("#error-summary").wait_for()
    page.wait_for_function("document.activeElement.id === 'error-summary'")
    items = page.locator("#error-summary a")
    assert items.count() >= 8
    in_page_order = page.evaluate(
        """() => {
            const targets = [...document.querySelectorAll('#error-summary a')]
                .map(a => document.getElementById(a.getAttribute('href').slice(1)));
            return targets.every(t => t !== null) && targets.every((t, i) => i === 0 ||
                (targets[i - 1].compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING));
        }"""
    )
    assert in_page_order
    texts = items.all_inner_texts()
    assert not [t for t in texts if "?:" in t]
    assert any(t.startswith("What would you like help with? Choose") for t in texts)
    assert "Email: Enter your email address." in texts
    page.keyboard.press("Tab")  # the summary's first link is next
    assert page.evaluate("document.activeElement") == page.evaluate(
        "document.querySelector('#error-summary a')")

    tab_to(page, "input[name=service]")
    page.keyboard.press("Space")
    page.locator("[data-date-strip] button").first.wait_for()
    tab_to(page, "[data-date-strip] button:nth-child(3):not([disabled])")
    page.keyboard.press("Enter")
    # The strip was redrawn; focus stayed on the day, which is now the chosen one.
    assert page.evaluate("document.activeElement.getAttribute('aria-current')") == "date"
    tab_to(page, "[data-slot-list] button")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"

    for selector, text in [("#full_name", "Robin Keyboard"), ("#email", "robin@example.com"),
                           ("#phone", "312 555 0177"), ("#date_of_birth", "04121985")]:
        tab_to(page, selector)
        page.keyboard.type(text)
    for group in ("concern", "heart_condition", "substance_misuse", "psychosis_or_mania",
                  "pregnancy", "support_person"):
        tab_to(page, f"input[name={group}]")
        page.keyboard.press("Space")  # the first choice: Depression, then "No" throughout
    tab_to(page, "#consent_privacy")
    page.keyboard.press("Space")
    tab_to(page, "form [type=submit]")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Request received").wait_for()
    context.close()


def test_a_required_choice_is_not_called_optional(browser: Any, live_server: str, clinic: Clinic) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/lakeside/request")
    field = page.locator("#concern_details")
    assert "optional" not in page.locator("label[for=concern_details]").inner_text().lower()
    assert "Optional, unless" in page.locator("#concern_details-hint").inner_text()
    assert field.get_attribute("required") is None
    page.get_by_label("Something else").check()
    page.get_by_role("button", name="Send request").click()
    page.locator("#error-summary").wait_for()
    assert "optional" not in page.locator("#concern_details").locator("xpath=..").inner_text().lower()
    assert field.get_attribute("required") is not None
    assert field.get_attribute("aria-invalid") == "true"
    context.close()


class TestFormUnderPressure:
    """The "please wait" page, the week after next and the form without JavaScript, under axe."""

    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"REQUEST_FORM_RATE_LIMIT": "1 per minute"}

    @pytest.mark.parametrize("lang", ["en", "es"])
    def test_no_axe_violations(self, browser: Any, live_server: str, clinic: Clinic, lang: str) -> None:
        found: list[str] = []
        # The list without the picker: axe needs scripts, so only the picker's is kept out.
        plain = browser.new_context(viewport=PHONE)
        page = plain.new_page()
        page.route("**/slot-picker.js", lambda route: route.abort())
        page.goto(f"{live_server}/lakeside/request?lang={lang}&from={days_ahead(clinic, 7)}")
        for size in VIEWPORTS:
            page.set_viewport_size(VIEWPORTS[size])
            assert page.locator("[data-nojs-slots] .window-button").count() == 2
            found += violations(page, f"request-no-script-{size}")
        plain.close()

        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{live_server}/lakeside/request?lang={lang}")
        page.locator("[data-date-strip] button").first.wait_for()
        page.locator("[data-window-step='1']").click()
        page.wait_for_function(
            f"document.querySelector('[data-date-strip] button').dataset.date === '{days_ahead(clinic, 7)}'")
        for size in VIEWPORTS:
            page.set_viewport_size(VIEWPORTS[size])
            found += violations(page, f"request-later-{size}")
        for attempt in range(2):  # the second send is one too many
            page.goto(f"{live_server}/lakeside/request?lang={lang}")
            page.locator("[data-slot-list] button").first.click()
            fill_details(page)
            page.locator("form [type=submit]").last.click()
            if attempt == 0:
                page.wait_for_url("**/request/received**")
        page.locator("#wait-notice").wait_for()
        assert page.locator("#full_name").input_value() == "Robin Browser"
        for size in VIEWPORTS:
            page.set_viewport_size(VIEWPORTS[size])
            found += violations(page, f"please-wait-{size}")
            assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["width"]
        context.close()
        assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", VIEWPORTS)
def test_checkin_pages_have_no_axe_violations(
    browser: Any, live_server: str, clinic: Clinic, make_appointment: Any, make_staff: Any, size: str, lang: str
) -> None:
    from sqlalchemy import select

    from booking.extensions import db
    from booking.models import CheckIn, Instrument
    from tests.support.checkin import ask, infusion_tomorrow

    ask(service(clinic, "infusion"), *Instrument)
    appt = infusion_tomorrow(clinic, make_appointment)
    url = live_server + link_for(appt) + f"/checkin?lang={lang}"
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    found: list[str] = []
    page.goto(url)
    found += violations(page, "checkin")
    page.locator("input[name=phq9_9][value='1']").check()
    page.locator("form.request-form [type=submit]").click()
    page.locator("#error-summary").wait_for()
    found += violations(page, "checkin-errors")
    page.locator("#fasting_confirmed").check()
    page.locator("#driver_name").fill("Sam Driver")
    page.locator("#driver_phone").fill("312 555 0199")
    for group in page.locator("fieldset.radios").all():
        if not group.locator("input:checked").count():
            group.locator("input").first.check()
    page.locator("form.request-form [type=submit]").click()
    page.locator("#crisis").wait_for()
    found += violations(page, "checkin-done-crisis")
    context.close()
    if lang == "en":
        # The staff side of the same check-in: the day sheet's banner, the queue, the answers, the chart.
        user = make_staff(clinic, role=Role.CLINICIAN)
        context = browser.new_context(viewport=VIEWPORTS[size])
        page = context.new_page()
        page.goto(f"{live_server}/staff/login")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Chairs").wait_for()
        day = appt.starts_at.astimezone(clinic.zone).date().isoformat()
        checkin_id = db.session.scalar(select(CheckIn.id).filter_by(appointment_id=appt.id))
        for name, path in [("day-urgent", f"/dashboard/day?date={day}"), ("checkin-queue", "/dashboard/checkins/"),
                           ("checkin-answers", f"/dashboard/checkins/{checkin_id}"),
                           ("patient-chart", f"/dashboard/patients/{appt.patient_id}")]:
            response = page.goto(live_server + path)
            assert response is not None and response.ok, name
            found += violations(page, name)
        context.close()
        admin = make_staff(clinic, role=Role.ADMIN)
        context = browser.new_context(viewport=VIEWPORTS[size])
        page = context.new_page()
        page.goto(f"{live_server}/staff/login")
        page.get_by_label("Email").fill(admin.email)
        page.get_by_label("Password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Chairs").wait_for()
        page.goto(f"{live_server}/dashboard/settings/checkin")
        found += violations(page, "checkin-settings")
        context.close()
    assert found == [], "\n".join(found)
