"""The translation catalogues: up to date with the sources, and every message translated.

A string wrapped for translation but missing from `messages.pot` (run `make messages`),
or left without a Spanish text, fails here.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "booking" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
# Every catalogue next to the template (Spanish today).
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))

# %(name)s and %(num)d for Python and Jinja; {name} for the slot picker's words.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
TAG = re.compile(r"</?([a-z]+)[^>]*>")


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def messages(catalog: Catalog) -> dict[str, Message]:
    """The catalogue's messages by msgid (the singular of a plural), header left out."""
    return {key(m): m for m in catalog if m.id}


def key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))


def extract_command(output: Path) -> list[str]:
    """`make messages`' own `pybabel extract` line, writing to `output` instead."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "pybabel extract" in line)
    words = shlex.split(line.strip())
    words = ["pybabel", *words[1:]]
    words[words.index("-o") + 1] = str(output)
    return words


def test_there_is_a_spanish_catalogue() -> None:
    assert TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po" in CATALOGUES


def test_the_template_is_up_to_date_with_the_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh_path = tmp_path / "messages.pot"
    monkeypatch.chdir(ROOT)
    CommandLineInterface().run(extract_command(fresh_path))
    fresh = set(messages(read_catalogue(fresh_path)))
    stored = set(messages(read_catalogue(TEMPLATE)))
    new, gone = sorted(fresh - stored), sorted(stored - fresh)
    assert not new, "not in messages.pot yet: run `make messages`"
    assert not gone, "no longer in the sources: run `make messages`"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_every_message_is_translated_with_its_placeholders_and_tags(path: Path) -> None:
    locale = path.parent.parent.name
    catalog = read_catalogue(path, locale)
    translated = messages(catalog)
    template = messages(read_catalogue(TEMPLATE))
    assert catalog.num_plurals == 2 and catalog.plural_expr == "(n != 1)"
    problems = []
    for msgid, source in template.items():
        message = translated.get(msgid)
        if message is None:
            problems.append(f"missing: {msgid!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        forms = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]
        sources = list(source.id) if isinstance(source.id, tuple) else [source.id]
        if not all(forms) or len(forms) != (catalog.num_plurals if len(sources) > 1 else 1):
            problems.append(f"not translated: {msgid!r}")
            continue
        allowed = set().union(*(placeholders(s) for s in sources))
        for n, form in enumerate(forms):
            # Plural forms keep every name; the others may leave out the count ("this answer").
            if n == len(forms) - 1:
                needed = placeholders(sources[-1])
            else:
                needed = placeholders(sources[0]) - {"num", "count"}
            english = sources[min(n, len(sources) - 1)]
            if not needed <= placeholders(form) <= allowed:
                problems.append(f"placeholders differ: {msgid!r} -> {form!r}")
            if tags(form) != tags(english):
                problems.append(f"HTML differs: {msgid!r} -> {form!r}")
    extra = sorted(set(translated) - set(template))
    assert not problems, "\n".join(problems)
    assert not extra, f"in {locale} but not in messages.pot: run `make messages`"
