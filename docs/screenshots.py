"""Regenerate the README screenshots from a running demo (`make run`), with Debian's chromium.

Usage: .venv/bin/python docs/screenshots.py [http://127.0.0.1:5000]
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
OUT = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        page.goto(f"{BASE}/riverside-infusion/")
        page.screenshot(path=str(OUT / "clinic-page.png"))
        page.goto(f"{BASE}/riverside-infusion/request")
        page.locator("[data-date-strip] button:not([disabled])").nth(1).click()
        page.locator("[data-slot-list] button").nth(2).click()
        page.locator("[data-slot-list] button").nth(5).click()
        page.locator("#preferred_times").scroll_into_view_if_needed()
        page.evaluate("document.querySelector('#preferred_times').scrollIntoView()")
        page.screenshot(path=str(OUT / "time-picker.png"))
        page.get_by_role("button", name="Send request").click()
        page.locator(".error-summary").wait_for()
        page.screenshot(path=str(OUT / "form-errors.png"))
        browser.close()


if __name__ == "__main__":
    main()
