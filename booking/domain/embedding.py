"""Putting a clinic's form on its own website: which origins may frame it, and where a request came from.

Pure rules: an origin typed by an admin is checked and written one way only (so the
`frame-ancestors` list and the comparison with the embedding page agree), and the
campaign parameters a page passes on are cleaned and bounded, never refused.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from booking.limits import CAMPAIGN_TEXT, EMBED_ORIGIN_LENGTH

# Plain http is only for trying the snippet out on one's own computer.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
DEFAULT_PORTS = {"https": 443, "http": 80}
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_IPV4 = re.compile(r"\d{1,3}(\.\d{1,3}){3}")

# The parameters stored with a request, in the order the staff page lists them.
CAMPAIGN_FIELDS = ("source", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


class InvalidOrigin(ValueError):
    """An origin that cannot be allowed to embed the form; the message says why, for the admin."""


def normalise_origin(text: str) -> str:
    """`text` as an origin, `scheme://host[:port]`, lower case, default port dropped.

    https only, except http for localhost and 127.0.0.1. No path, query, user name,
    wildcard or IP address other than 127.0.0.1. Raises `InvalidOrigin`.
    """
    value = text.strip()
    if not value:
        raise InvalidOrigin("Enter the address of your website, like https://www.example.com.")
    if "://" not in value:
        raise InvalidOrigin("Start the address with https://, like https://www.example.com.")
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in value):
        raise InvalidOrigin("The address cannot contain spaces or control characters.")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:
        raise InvalidOrigin("The port must be a number from 1 to 65535.") from error
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidOrigin("The address must start with https:// (http:// only for localhost).")
    if parts.username is not None or parts.password is not None:
        raise InvalidOrigin("Leave out any user name or password.")
    if parts.path not in ("", "/") or parts.query or parts.fragment or value.endswith(("?", "#")):
        raise InvalidOrigin("Enter only the site's address, without a page path: https://www.example.com, "
                            "not https://www.example.com/contact.")
    host = _host(parts.hostname or "")
    if scheme == "http" and host not in LOCAL_HOSTS:
        raise InvalidOrigin("A website must use https://. Plain http:// is accepted only for localhost and "
                            "127.0.0.1, for testing.")
    if port == 0:
        raise InvalidOrigin("The port must be a number from 1 to 65535.")
    origin = f"{scheme}://{host}" if port in (None, DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"
    if len(origin) > EMBED_ORIGIN_LENGTH.high:
        raise InvalidOrigin(f"The address is too long (at most {EMBED_ORIGIN_LENGTH.high} characters).")
    return origin


def _host(raw: str) -> str:
    """A DNS name (international names in their ASCII form) or 127.0.0.1."""
    if not raw or "*" in raw:
        raise InvalidOrigin("Enter one exact website address (no * wildcards), like https://www.example.com.")
    if raw.startswith("[") or ":" in raw or _IPV4.fullmatch(raw):
        if raw == "127.0.0.1":
            return raw
        raise InvalidOrigin("Use the website's name, not an IP address.")
    try:
        host = raw.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise InvalidOrigin("That is not a valid website name.") from error
    labels = host.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        raise InvalidOrigin("That is not a valid website name.")
    if len(labels) < 2 and host not in LOCAL_HOSTS:
        raise InvalidOrigin("Enter the full website name, like www.example.com.")
    if labels[-1].isdigit():
        raise InvalidOrigin("Use the website's name, not an IP address.")
    return host


@dataclass(frozen=True)
class Campaign:
    """Where a request came from, as the page that sent the patient said (each None if not said)."""

    source: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None

    def columns(self) -> dict[str, str | None]:
        """Every field by name, for the request's columns."""
        return asdict(self)

    def given(self) -> dict[str, str]:
        """The fields that have a value, in `CAMPAIGN_FIELDS` order (for links and pages)."""
        return {name: value for name, value in asdict(self).items() if value is not None}


def clean_campaign_text(value: object) -> str | None:
    """A campaign value as stored: control characters dropped, spaces collapsed, at most
    `CAMPAIGN_TEXT.high` characters; None if nothing is left."""
    if not isinstance(value, str):
        return None
    kept = "".join(c for c in value if c.isspace() or not unicodedata.category(c).startswith("C"))
    text = " ".join(kept.split())[: CAMPAIGN_TEXT.high].strip()
    return text or None


def campaign_from(values: Mapping[str, object]) -> Campaign:
    """The campaign fields found in `values` (query parameters), cleaned."""
    return Campaign(**{name: clean_campaign_text(values.get(name)) for name in CAMPAIGN_FIELDS})
