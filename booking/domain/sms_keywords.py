"""What a patient's reply means: the carriers' keywords and the clinic's own (pure)."""
from __future__ import annotations

import unicodedata

# Carriers and CTIA require these to opt out and back in, and HELP to be answered.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})
CONFIRM_WORDS = frozenset({"C", "YES", "Y", "1", "SI", "SÍ"})
RESCHEDULE_WORDS = frozenset({"R"})


def keyword(body: str) -> str:
    """The reply's first word, upper-case, without punctuation around it ("yes!" → "YES")."""
    words = body.strip().split()
    if not words:
        return ""
    return unicodedata.normalize("NFC", words[0]).strip(".,!?¡¿;:'\"()").upper()


def meaning(body: str) -> str:
    """One of "stop", "start", "help", "confirm", "reschedule" or "other" for a reply's text.

    A keyword counts only as the whole reply, as carriers and Twilio match them:
    "Cancel my visit, I am ill" and "1 more question" are read by a person.
    """
    if len(body.split()) != 1:
        return "other"
    word = keyword(body)
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    if word in CONFIRM_WORDS:
        return "confirm"
    if word in RESCHEDULE_WORDS:
        return "reschedule"
    return "other"
