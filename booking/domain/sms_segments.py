"""How many SMS segments a text takes: GSM-7 when every character is in its alphabet, else UCS-2 (pure)."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# The GSM 03.38 default alphabet (one septet each) and its extension table (two: escape + char).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

# One segment holds 160 septets or 70 UTF-16 units; a text in several segments loses
# room to the concatenation header: 153 septets or 67 units each.
GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


@dataclass(frozen=True)
class Segments:
    """A text's encoding ("GSM-7" or "UCS-2") and how many segments it is sent in."""

    encoding: str
    count: int


def is_gsm7(text: str) -> bool:
    """True if every character of `text` is in the GSM-7 alphabet (basic or extension)."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def _units(text: str, gsm: bool) -> list[int]:
    """The size of each character: septets (GSM-7) or UTF-16 code units (UCS-2)."""
    if gsm:
        return [2 if ch in GSM7_EXTENDED else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def segments(text: str) -> Segments:
    """The encoding and number of segments of `text`; a character is never split across two."""
    gsm = is_gsm7(text)
    units = _units(text, gsm)
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if gsm else (UCS2_SINGLE, UCS2_MULTI)
    encoding = "GSM-7" if gsm else "UCS-2"
    if sum(units) <= single:
        return Segments(encoding, 1 if text else 0)
    count, room = 1, multi
    for size in units:
        if size > room:  # an escape pair or a surrogate pair stays in one segment
            count, room = count + 1, multi
        room -= size
    return Segments(encoding, count)


def plain_letters(text: str) -> str:
    """`text` with accents that GSM-7 lacks dropped (á → a, í → i); its own (é, ñ, ü) kept.

    A Spanish text with one "á" is sent in UCS-2 at 70 characters a segment; without
    it, in GSM-7 at 160. The words stay readable, as on many phones' own keyboards.
    """
    out = []
    for ch in text:
        if ch in GSM7_BASIC or ch in GSM7_EXTENDED:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if base in GSM7_BASIC else ch)
    return "".join(out)


def fit_text(text: str, most_segments: int = 2) -> str:
    """`text`, or its plain-letter form when only that fits in `most_segments` (or takes fewer)."""
    plain = plain_letters(text)
    if plain == text:
        return text
    ours, theirs = segments(text).count, segments(plain).count
    return plain if theirs < ours and (ours > most_segments or theirs <= most_segments) else text
