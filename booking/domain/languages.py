"""Choosing a patient's language, and the locale its dates and times are written in (pure)."""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from booking.models.language import Language

DEFAULT_LANGUAGE = Language.EN


def choose_language(asked: str | None, remembered: str | None, accepted: Iterable[str]) -> Language:
    """The page's language: the one asked for, else the one chosen before, else the browser's best."""
    for candidate in (asked, remembered, *accepted):
        language = Language.parse(candidate)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


# Called for every date and time a page shows; Locale.parse costs several microseconds.
@lru_cache(maxsize=64)
def formatting_locale(clinic_locale: str, language: Language) -> str:
    """The Babel locale for dates and times: the patient's language in the clinic's region.

    en_US + Spanish gives es_US; a region Babel has no data for falls back to
    the bare language.
    """
    base = clinic_locale.split("_")[0]
    if base == language.value:
        return clinic_locale
    region = clinic_locale.split("_")[1] if "_" in clinic_locale else None
    if region:
        try:
            Locale.parse(f"{language.value}_{region}")
            return f"{language.value}_{region}"
        except (UnknownLocaleError, ValueError):
            pass
    return language.value


