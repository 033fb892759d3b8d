"""Every kind of HTML email, in English and Spanish: one layout, its links, and a phone's width.

The skeleton (doctype, charset, viewport, title, `lang`), the clinic's name as a header, the
"Add to your calendar" link to the patient's page's `.ics` (booked, moved, reminders) and the
"Directions" link, what each kind says is attached, and, in headless Chromium at 390 px, no
horizontal scroll.
"""
from __future__ import annotations

import html as html_lib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from booking.domain.series import PlannedSession
from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.mail.outbox import MANAGE_URL_PLACEHOLDER
from booking.models import SMS_ONLY_KINDS, STAFF_KINDS, AppointmentStatus, ChangeRequest, Clinic, Language, MessageKind, utcnow
from booking.operations.appointment_status import set_status
from booking.operations.booking import Booker, reschedule
from booking.operations.change_requests import decline
from booking.operations.intake import submit_request
from booking.operations.patient_actions import DriverDetails, save_driver
from booking.operations.series_booking import book_series
from tests.factories import service
from tests.mail.test_pipeline import at, book_infusion, patient, rows
from tests.mail.test_reminder_wording import VISIT
from tests.mail.test_spanish import details
from tests.support.browser import CHROMIUM, PHONE
from tests.support.smtp import SmtpServer

UTC = timezone.utc
BEFORE = datetime(2026, 2, 20, 12, tzinfo=UTC)
NAME = "Lakeside Infusions"
ADDRESS = "1200 North Lakeshore Drive, Suite 1400, Chicago, IL 60610"
# Kinds about one visit of the patient's, whose page serves its calendar file.
WITH_CALENDAR_LINK = {MessageKind.APPOINTMENT_BOOKED, MessageKind.APPOINTMENT_RESCHEDULED, MessageKind.REMINDER_PREP,
                      MessageKind.REMINDER_EVENING, MessageKind.REMINDER_FINAL, MessageKind.CHANGE_DECLINED}


def every_kind(make_clinic: Any, language: Language) -> tuple[Clinic, dict[MessageKind, tuple[str, str]]]:
    """One stored message of each kind, in `language`: {kind: (subject, html)}."""
    clinic: Clinic = make_clinic(name=NAME, chairs=2)
    clinic.address = ADDRESS
    db.session.commit()
    with time_machine.travel(BEFORE, tick=False):
        submit_request(clinic, service(clinic, "consult"), details(at(clinic, VISIT, 9), language=language), utcnow())
        appointment = book_infusion(clinic, at(clinic, VISIT, 9), utcnow(), language)
        save_driver(clinic, appointment, DriverDetails(name="Dana Driver", phone="+13125550199",
                                                      email="dana@example.com", may_email=True, confirmed=True), utcnow())
        asked = ChangeRequest(clinic_id=clinic.id, appointment_id=appointment.id, preferred_times=[])
        db.session.add(asked)
        db.session.flush()
        decline(clinic, asked, "That afternoon is full.", actor_id=None, now=utcnow())
        reschedule(clinic, appointment, at(clinic, VISIT + timedelta(days=1), 13), None, booker=Booker.STAFF,
                   actor_id=None, now=utcnow())
        set_status(clinic, appointment, AppointmentStatus.CANCELLED, actor_id=None, now=utcnow(), reason="x")
        book_series(clinic, patient(clinic, language), service(clinic, "infusion"),
                    [PlannedSession(at(clinic, VISIT + timedelta(days=7 + 2 * n), 9)) for n in range(3)],
                    actor_id=None, now=utcnow(), override_consult_first=True)
        db.session.commit()
    found = {row.kind: (row.subject, row.body_html) for row in rows()}
    expected = set(MessageKind) - STAFF_KINDS - SMS_ONLY_KINDS  # staff emails: their own tests; replies: texts only
    assert set(found) == expected, expected - set(found)
    return clinic, found


def links(html: str) -> dict[str, str]:
    """{link text: href} of the message's links."""
    return {html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip(): html_lib.unescape(href)
            for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)}


WORDS = {
    Language.EN: {"calendar": "Add to your calendar", "directions": "Directions",
                  "invitation": "A calendar invitation is attached.",
                  "moved": "The attached calendar invitation moves the visit in your calendar to the new time.",
                  "removes": "The attached calendar file removes the visit from your calendar.",
                  "attached": "attached"},
    Language.ES: {"calendar": "Agregar a su calendario", "directions": "Cómo llegar",
                  "invitation": "Le adjuntamos un archivo para su calendario.",
                  "moved": "La invitación de calendario adjunta pasa la visita de su calendario al nuevo horario.",
                  "removes": "El archivo de calendario adjunto quita la visita de su calendario.",
                  "attached": "adjunt"},
}


@pytest.mark.parametrize("language", [Language.EN, Language.ES], ids=lambda lang: lang.value)
def test_every_kind_has_the_skeleton_the_header_and_the_links(make_clinic: Any, ctx: None, language: Language) -> None:
    clinic, messages = every_kind(make_clinic, language)
    words = WORDS[language]
    for kind, (subject, html) in messages.items():
        where = f"{kind.value} ({language.value})"
        assert html.startswith("<!doctype html>"), where
        assert f'<html lang="{language.value}">' in html, where
        head = html[html.index("<head>"):html.index("</head>")]
        assert '<meta charset="utf-8">' in head, where
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in head, where
        assert re.search(r"<title>(.*?)</title>", head).group(1) == html_lib.escape(subject), where  # type: ignore[union-attr]
        assert re.search(r"<h1[^>]*>Lakeside Infusions</h1>", html), where
        # Inline styles only, one column, nothing the reader's client would fetch.
        for absent in ("<style", "<table", "<img", "<link", " src=", "class="):
            assert absent not in html, f"{where}: {absent}"
        found = links(html)
        directions = urlsplit(found[words["directions"]])
        assert (directions.scheme, directions.netloc, directions.path) == ("https", "www.google.com", "/maps/search/")
        assert parse_qs(directions.query) == {"api": ["1"], "query": [ADDRESS]}, where
        if kind in WITH_CALENDAR_LINK:
            assert found[words["calendar"]] == f"{MANAGE_URL_PLACEHOLDER}/calendar.ics?lang={language.value}", where
        else:
            assert words["calendar"] not in found, where
            assert "calendar.ics" not in html, where
        if kind is MessageKind.DRIVER_PICKUP:
            assert MANAGE_URL_PLACEHOLDER not in html  # the patient's secret link is theirs alone
        assert clinic.address in html


@pytest.mark.parametrize("language", [Language.EN, Language.ES], ids=lambda lang: lang.value)
def test_each_kind_says_what_is_attached(make_clinic: Any, ctx: None, language: Language) -> None:
    _, messages = every_kind(make_clinic, language)
    words = WORDS[language]
    said = {
        MessageKind.APPOINTMENT_BOOKED: words["invitation"],
        MessageKind.APPOINTMENT_RESCHEDULED: words["moved"],
        MessageKind.APPOINTMENT_CANCELLED: words["removes"],
    }
    texts = {kind: html_lib.unescape(re.sub(r"<[^>]+>", "", html)) for kind, (_, html) in messages.items()}
    for kind, text in texts.items():
        if kind in said:
            assert said[kind] in text, kind
            assert [s for s in said.values() if s in text] == [said[kind]], kind
        else:
            assert words["attached"] not in text.lower(), kind
    stored = {row.kind: row.body_text for row in rows()}
    for kind, sentence in said.items():
        assert sentence in stored[kind], kind


def test_the_calendar_link_opens_the_visits_file_in_the_messages_language(
    make_clinic: Any, smtp: SmtpServer, client: FlaskClient, ctx: None
) -> None:
    clinic = make_clinic(name=NAME)
    with time_machine.travel(BEFORE, tick=False):
        appointment = book_infusion(clinic, at(clinic, VISIT, 9), utcnow(), Language.ES)
        assert deliver_due().sent == 1
        [message] = smtp.messages
        href = links(message.get_body(("html",)).get_content())["Agregar a su calendario"]
        address = urlsplit(href)
        assert href.startswith("http://127.0.0.1:5000/manage/") and address.path.endswith("/calendar.ics")
        assert address.query == "lang=es"
        answer = client.get(f"{address.path}?{address.query}", headers={"Accept-Language": "en"})
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    body = answer.get_data(as_text=True)
    assert "METHOD:REQUEST" in body and f"UID:appointment-{appointment.id}@" in body
    assert "Visita de tratamiento en Lakeside Infusions" in body


def widths_at_phone_size(pages: dict[str, str]) -> dict[str, tuple[str, int]]:
    """{name: (lang, scroll width)} of each HTML page in headless Chromium at 390 px.

    Launched as tests/browser/conftest.py does, but in a thread of its own: the browser tests'
    session-wide Playwright keeps an event loop running in this one, where a second sync
    Playwright may not start.
    """
    from playwright.sync_api import sync_playwright

    def measure() -> dict[str, tuple[str, int]]:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                      "--disable-sync", "--no-first-run"],
            )
            try:
                page = browser.new_page(viewport=PHONE)
                # Nothing may load from outside: a message only shows what it carries.
                page.route("**/*", lambda route: route.abort())
                found = {}
                for name, html in pages.items():
                    page.set_content(html)
                    found[name] = (page.evaluate("document.documentElement.lang"),
                                   page.evaluate("document.documentElement.scrollWidth"))
                return found
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(measure).result()


@pytest.mark.browser
@pytest.mark.parametrize("language", [Language.EN, Language.ES], ids=lambda lang: lang.value)
def test_every_kind_reads_at_390_px_without_scrolling_sideways(make_clinic: Any, ctx: None, language: Language) -> None:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    _, messages = every_kind(make_clinic, language)
    # As delivered: the placeholder becomes a long secret link.
    link = "https://book.example.org/manage/" + "x" * 43
    measured = widths_at_phone_size({kind.value: html.replace(MANAGE_URL_PLACEHOLDER, link)
                                     for kind, (_, html) in messages.items()})
    assert {lang for lang, _ in measured.values()} == {language.value}
    wide = {kind: width for kind, (_, width) in measured.items() if width > PHONE["width"]}
    assert not wide, f"wider than {PHONE['width']} px: {wide}"


def test_the_layout_is_the_same_file_for_every_kind(app: Flask, ctx: None) -> None:
    """Each kind's HTML extends the shared layout (directly or through the appointment's)."""
    root = app.jinja_loader.searchpath[0]  # type: ignore[union-attr]
    for kind in set(MessageKind) - SMS_ONLY_KINDS:
        with open(os.path.join(root, "email", f"{kind.value}.html"), encoding="utf-8") as file:
            first = file.read().split("%}", 1)[0]
        assert re.search(r'extends "email/_(layout|appointment)\.html"', first), kind
