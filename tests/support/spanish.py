"""Reading a page as a patient would: its visible text, and any English sentence left in it."""
from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

TEMPLATE = Path(__file__).resolve().parents[2] / "booking" / "translations" / "messages.pot"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def page_language(page: str) -> str:
    """The language the page says it is in (`<html lang>`)."""
    found = re.search(r'<html lang="([a-z]+)">', page)
    assert found is not None
    return found.group(1)


def visible_text(page: str) -> str:
    """The words a reader sees (the title too), without tags, scripts or styles, spaces collapsed."""
    text = _TAG.sub(" ", _HIDDEN.sub(" ", page))
    return " ".join(html.unescape(text).split())


@lru_cache(maxsize=1)
def english_sentences() -> frozenset[str]:
    """Every stretch of three or more English words in the catalogue's msgids.

    A msgid is cut at its placeholders and tags: "Thank you, %(name)s. %(clinic)s has
    your request" gives "has your request ...", which must not show once translated.
    """
    with TEMPLATE.open("rb") as f:
        catalog = read_po(f)
    found = set()
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in _PLACEHOLDER.split(msgid):
                words = " ".join(piece.split()).strip(" ,.:;()")
                if len(words.split()) >= 3:
                    found.add(words)
    return frozenset(found)


def english_left(page: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The catalogue's English sentences that appear in the page's visible text.

    `allowed` are texts the clinic wrote (names, addresses), taken out before looking.
    """
    text = visible_text(page)
    for words in allowed:
        text = text.replace(words, " ")
    return sorted(words for words in english_sentences() if words in text)
