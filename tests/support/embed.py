"""The embedded request form: allowing a website, and the form's fields as a browser sends them."""
from __future__ import annotations

import html
import re
from typing import Any

from booking.extensions import db
from booking.models import Clinic, EmbedOrigin


def allow(clinic: Clinic, *origins: str) -> None:
    """Let `origins` (already normalised) frame the clinic's form."""
    db.session.add_all(EmbedOrigin(clinic_id=clinic.id, origin=origin) for origin in origins)
    db.session.commit()


def hidden_fields(page: str) -> dict[str, str]:
    """Every hidden input of the page, as a browser would send it back."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        attrs = {name: html.unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag)}
        if attrs.get("type") == "hidden" and "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def form_action(page: str) -> str:
    """Where the request form posts to."""
    match = re.search(r'<form method="post" action="([^"]*)"[^>]*class="request-form"', page)
    assert match, "no request form on the page"
    return html.unescape(match.group(1))


def attribute(page: str, name: str) -> str | None:
    """The first value of attribute `name` on the page."""
    match = re.search(rf'\b{re.escape(name)}="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else None


def cookies_set(response: Any) -> list[str]:
    """The Set-Cookie headers of a response."""
    return response.headers.getlist("Set-Cookie")
