"""Choosing the patient's language and the locale of their dates (pure)."""
from __future__ import annotations

import pytest

from booking.domain.languages import choose_language, formatting_locale
from booking.models import Language


@pytest.mark.parametrize(
    ("asked", "remembered", "accepted", "expected"),
    [
        ("es", "en", ["en-US"], Language.ES),  # ?lang= wins
        (None, "es", ["en-US"], Language.ES),  # then the earlier choice
        ("fr", None, ["es-MX", "en"], Language.ES),  # an unknown ask falls through to the browser
        (None, None, ["fr-FR", "es"], Language.ES),  # the browser's first language we have
        (None, None, ["fr-FR", "de"], Language.EN),  # none we have: English
        (None, None, [], Language.EN),
        ("ES_us", None, [], Language.ES),
    ],
)
def test_choose_language(asked: str | None, remembered: str | None, accepted: list[str], expected: Language) -> None:
    assert choose_language(asked, remembered, accepted) is expected


@pytest.mark.parametrize(
    ("clinic_locale", "language", "expected"),
    [
        ("en_US", Language.EN, "en_US"),
        ("en_GB", Language.EN, "en_GB"),
        ("en_US", Language.ES, "es_US"),
        ("en_GB", Language.ES, "es"),  # Babel has no Spanish for Britain: plain Spanish
        ("es_MX", Language.ES, "es_MX"),
        ("es_US", Language.EN, "en_US"),
        ("en", Language.ES, "es"),
    ],
)
def test_formatting_locale(clinic_locale: str, language: Language, expected: str) -> None:
    assert formatting_locale(clinic_locale, language) == expected


def test_parse_reads_language_tags() -> None:
    assert Language.parse("es-419") is Language.ES
    assert Language.parse("") is None and Language.parse("xx") is None and Language.parse(None) is None
