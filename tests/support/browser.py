"""Headless Debian Chromium: where it is, the viewports the tests use, and screenshots."""
from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent.parent / "browser" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def shot(page: object, name: str) -> None:
    """Save a full-page screenshot for people to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
