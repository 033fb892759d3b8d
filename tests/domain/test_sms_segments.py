"""Segment counting: GSM-7 (160 / 153 per part, extension characters count twice) and UCS-2 (70 / 67)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from booking.domain.sms_segments import GSM7_BASIC, Segments, fit_text, is_gsm7, plain_letters, segments


def test_gsm7_limits() -> None:
    assert segments("") == Segments("GSM-7", 0)
    assert segments("a" * 160) == Segments("GSM-7", 1)
    assert segments("a" * 161) == Segments("GSM-7", 2)
    assert segments("a" * 306) == Segments("GSM-7", 2)
    assert segments("a" * 307) == Segments("GSM-7", 3)


def test_extension_characters_take_two_septets_and_never_split() -> None:
    assert segments("€" * 80) == Segments("GSM-7", 1)
    assert segments("€" * 81) == Segments("GSM-7", 2)
    # 152 septets then a two-septet escape: it does not fit in the first part's last septet.
    assert segments("a" * 152 + "€" + "a" * 152).count == 3


def test_ucs2_limits_and_surrogate_pairs() -> None:
    assert segments("á" * 70) == Segments("UCS-2", 1)
    assert segments("á" * 71) == Segments("UCS-2", 2)
    assert segments("á" * 134) == Segments("UCS-2", 2)
    assert segments("😀" * 35) == Segments("UCS-2", 1)
    assert segments("😀" * 36) == Segments("UCS-2", 2)


def test_spanish_letters_gsm_has_and_lacks() -> None:
    assert is_gsm7("ñ é ü ¿ ¡ Ñ É Ü")
    assert not is_gsm7("á") and not is_gsm7("í") and not is_gsm7("ó") and not is_gsm7("ú")
    assert plain_letters("Mañana día según sí está") == "Mañana dia segun si esta"


def test_fit_text_drops_accents_only_when_that_saves_segments() -> None:
    short = "Su cita es el día 3."
    assert fit_text(short) == short  # one segment either way: keep the accents
    long = "Clínica: " + "visita mañana a las 9:00. " * 8
    assert segments(long).count > 2 and segments(fit_text(long)).encoding == "GSM-7"
    assert segments(fit_text(long)).count <= 2


@given(st.text(alphabet=sorted(GSM7_BASIC), max_size=1000))
def test_gsm_basic_text_takes_ceil_of_153(text: str) -> None:
    count = segments(text).count
    if len(text) <= 160:
        assert count == (1 if text else 0)
    else:
        assert count == -(-len(text) // 153)


@given(st.text(max_size=400))
def test_plain_letters_never_makes_more_segments(text: str) -> None:
    assert segments(fit_text(text)).count <= segments(text).count
