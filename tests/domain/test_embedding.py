"""Origins allowed to embed the form, and the campaign a page passes on."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.domain.embedding import (
    CAMPAIGN_FIELDS,
    Campaign,
    InvalidOrigin,
    campaign_from,
    clean_campaign_text,
    normalise_origin,
)
from booking.limits import CAMPAIGN_TEXT
from booking.models.patient import CAMPAIGN_COLUMNS


@pytest.mark.parametrize("typed,origin", [
    ("https://www.example.com", "https://www.example.com"),
    ("  HTTPS://WWW.Example.COM/  ", "https://www.example.com"),
    ("https://example.com:443", "https://example.com"),
    ("https://example.com:8443", "https://example.com:8443"),
    ("https://shop.example.co.uk.", "https://shop.example.co.uk"),
    ("https://bücher.example", "https://xn--bcher-kva.example"),
    ("http://localhost:5100", "http://localhost:5100"),
    ("http://127.0.0.1", "http://127.0.0.1"),
    ("http://localhost:80", "http://localhost"),
    ("https://localhost", "https://localhost"),
])
def test_origins_are_written_one_way(typed: str, origin: str) -> None:
    assert normalise_origin(typed) == origin


@pytest.mark.parametrize("typed,reason", [
    ("", "Enter the address"),
    ("www.example.com", "Start the address with https://"),
    ("http://www.example.com", "must use https://"),
    ("ftp://example.com", "must start with https://"),
    ("https://www.example.com/contact", "without a page path"),
    ("https://www.example.com?x=1", "without a page path"),
    ("https://www.example.com#top", "without a page path"),
    ("https://user:pw@example.com", "user name or password"),
    ("https://*.example.com", "no * wildcards"),
    ("https://192.168.1.4", "not an IP address"),
    ("https://[::1]:8443", "not an IP address"),
    ("http://10.0.0.1", "not an IP address"),
    ("https://example.com:0", "from 1 to 65535"),
    ("https://example.com:70000", "from 1 to 65535"),
    ("https://exa mple.com", "spaces"),
    ("https://intranet", "full website name"),
    ("https://-bad-.example", "not a valid website name"),
    ("https://" + "a" * 64 + ".example", "not a valid website name"),
    ("https://" + ".".join(["abcdefghij"] * 30) + ".com", "too long"),
])
def test_what_cannot_be_an_origin_is_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(InvalidOrigin, match=reason.replace("*", r"\*").replace("?", r"\?")):
        normalise_origin(typed)


@given(st.text(max_size=80))
def test_an_accepted_origin_is_already_normal_and_safe_in_a_header(text: str) -> None:
    try:
        origin = normalise_origin(text)
    except InvalidOrigin:
        return
    assert normalise_origin(origin) == origin
    assert origin.startswith(("https://", "http://localhost", "http://127.0.0.1"))
    # Nothing that could end or extend the frame-ancestors directive.
    assert not any(c in origin for c in " ;,'\"*\r\n")


@given(st.from_regex(r"https://[a-z0-9]{1,20}(\.[a-z0-9]{1,20}){0,2}\.[a-z]{2,10}(:[1-9][0-9]{0,3})?/?",
                     fullmatch=True))
def test_plain_https_sites_are_accepted(text: str) -> None:
    assert normalise_origin(text) == normalise_origin(text.upper())


@given(st.text())
def test_campaign_text_is_bounded_and_printable(value: str) -> None:
    cleaned = clean_campaign_text(value)
    if cleaned is None:
        return
    assert CAMPAIGN_TEXT.low <= len(cleaned) <= CAMPAIGN_TEXT.high
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert not any(unicodedata.category(c).startswith("C") or (c.isspace() and c != " ") for c in cleaned)


def test_campaign_from_query_parameters() -> None:
    campaign = campaign_from({"utm_source": " news\tletter ", "utm_medium": "", "source": "x" * 150, "other": "y"})
    assert campaign == Campaign(source="x" * 100, utm_source="news letter")
    assert campaign.given() == {"source": "x" * 100, "utm_source": "news letter"}
    assert campaign_from({}) == Campaign()
    assert clean_campaign_text(["not", "text"]) is None


def test_the_models_columns_are_the_campaigns_fields() -> None:
    assert CAMPAIGN_COLUMNS == CAMPAIGN_FIELDS
    assert tuple(Campaign().columns()) == CAMPAIGN_FIELDS
