"""The patient's pages follow the patient's language; the staff pages stay English."""
from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from booking.models import Clinic


def page_language(html: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', html)
    assert found is not None
    return found.group(1)


def test_the_browser_language_is_the_default(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    english = client.get(f"/{clinic.slug}/").get_data(as_text=True)
    spanish = client.get(f"/{clinic.slug}/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert page_language(english) == "en"
    assert page_language(spanish.get_data(as_text=True)) == "es"


def test_a_chosen_language_is_kept_on_the_next_pages(client: FlaskClient, make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    page = client.get(f"/{clinic.slug}/")
    html = page.get_data(as_text=True)
    # The switcher links to this same page in the other language.
    assert 'href="?lang=es" lang="es" hreflang="es">Español</a>' in html
    chosen = client.get(f"/{clinic.slug}/?lang=es", headers={"Accept-Language": "en"})
    assert page_language(chosen.get_data(as_text=True)) == "es"
    cookie = chosen.headers["Set-Cookie"]
    assert cookie.startswith("lang=es;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    later = client.get(f"/{clinic.slug}/request", headers={"Accept-Language": "en"})
    assert page_language(later.get_data(as_text=True)) == "es"
    back = client.get(f"/{clinic.slug}/request?lang=en")
    assert page_language(back.get_data(as_text=True)) == "en"


def test_staff_pages_stay_english(client: FlaskClient) -> None:
    page = client.get("/staff/login?lang=es", headers={"Accept-Language": "es"})
    html = page.get_data(as_text=True)
    assert page_language(html) == "en" and 'hreflang="es"' not in html
    assert "Set-Cookie" not in page.headers or "lang=" not in page.headers["Set-Cookie"]
