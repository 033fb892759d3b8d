"""The emails' text as the translation catalogues see it: what is extracted, and its Spanish.

Extraction reads templates/email/** and booking/mail/** with the keywords `make messages`
uses; the Spanish is the one catalogue's, messages.po.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SPANISH = ROOT / "booking" / "translations" / "es" / "LC_MESSAGES"
CATALOGUES = (SPANISH / "messages.po",)
# The parts of babel.cfg that are the emails' (and the calendar file's) text.
EMAIL_SOURCES = [
    ("booking/mail/**.py", "python"),
    ("templates/email/**.html", "jinja2"),
    ("templates/email/**.txt", "jinja2"),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# Where a run of words ends: a placeholder, or a sentence's or a clause's end.
_BREAK = re.compile(r"%\(\w+\)[sd]|[.;:?!](?:\s|$)")


@cache
def email_msgids() -> tuple[str | tuple[str, str], ...]:
    """Every msgid (a (singular, plural) pair for ngettext) of the emails and the .ics, sorted."""
    found: dict[str, str | tuple[str, str]] = {}
    for _, _, message, _, _ in extract_from_dir(str(ROOT), EMAIL_SOURCES, keywords=KEYWORDS):
        msgid = message if isinstance(message, str) else (message[0], message[1])
        found[msgid if isinstance(msgid, str) else msgid[0]] = msgid
    return tuple(found[key] for key in sorted(found))


@cache
def _catalogues() -> tuple[Catalog, ...]:
    loaded = []
    for path in CATALOGUES:
        if path.exists():
            with path.open("rb") as file:
                loaded.append(read_po(file, locale="es"))
    return tuple(loaded)


def spanish_entry(msgid: str | tuple[str, str]) -> tuple[Catalog, Message] | None:
    """The Spanish entry for `msgid` in the catalogue, if it has one."""
    key = msgid if isinstance(msgid, str) else msgid[0]
    for catalog in _catalogues():
        message = catalog.get(key)
        if message is not None:
            return catalog, message
    return None


def english_phrases(min_words: int = 3) -> frozenset[str]:
    """The English of the emails in runs of at least `min_words` words (between placeholders
    and punctuation), lower-cased: none may show in a message written in another language."""
    phrases = set()
    for msgid in email_msgids():
        for text in (msgid,) if isinstance(msgid, str) else msgid:
            for run in _BREAK.split(text):
                run = run.strip(" ,").lower()
                if len(run.split()) >= min_words:
                    phrases.add(run)
    return frozenset(phrases)
