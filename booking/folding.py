"""Text folded for matching: lower case, no accents, punctuation as spaces (shared by models and rules)."""
from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """`text` lower-cased, without accents, with runs of spaces, dots and hyphens as one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.split(r"[\s.\-'’,]+", plain)).strip()
