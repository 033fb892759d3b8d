"""Every word of the emails and the calendar file has its Spanish in messages.po."""
from __future__ import annotations

from tests.support.catalogue import PLACEHOLDER, email_msgids, spanish_entry


def _names(text: str) -> set[str]:
    # `num` is ngettext's count: a form may leave it out ("Su cita" for one).
    return {found[2:-2] for found in PLACEHOLDER.findall(text)} - {"num"}


def test_the_extraction_finds_the_emails_and_the_calendars_text() -> None:
    msgids = email_msgids()
    assert len(msgids) >= 50
    singular = {m if isinstance(m, str) else m[0] for m in msgids}
    assert {"Hello %(name)s,", "Treatment visit", "%(label)s at %(clinic)s", "No food after %(time)s on %(date)s"} <= singular


def test_every_email_msgid_has_a_spanish_translation() -> None:
    problems = []
    for msgid in email_msgids():
        found = spanish_entry(msgid)
        if found is None:
            problems.append(f"{msgid!r}: not in messages.po")
            continue
        catalog, message = found
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(msgid, tuple) != isinstance(message.id, tuple):
            problems.append(f"{msgid!r}: plural in one place, not the other")
        elif not all(s.strip() for s in strings) or len(strings) != (catalog.num_plurals if message.pluralizable else 1):
            problems.append(f"{msgid!r}: a form is untranslated")
        elif message.fuzzy:
            problems.append(f"{msgid!r}: fuzzy")
        # Babel's checks (no unknown placeholder, the same types), and none left out.
        problems.extend(f"{msgid!r}: {error}" for error in message.check(catalog))
        wanted = _names(msgid if isinstance(msgid, str) else msgid[0])
        problems.extend(f"{msgid!r}: {form!r} lacks a placeholder" for form in strings if _names(form) != wanted)
    assert not problems, "\n".join(problems)
