"""How typed searches read: folded names with one typo forgiven, and birth dates in several forms."""
from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from booking.domain.people_search import name_matches, parse_birth_date, within_one_edit
from booking.folding import fold


def test_fold_drops_accents_case_and_punctuation() -> None:
    assert fold("  José  María Núñez-O'Brien ") == "jose maria nunez o brien"
    assert fold("ÇAĞLAR Øre") == "caglar øre"  # letters without a decomposition stay


def test_names_match_without_accents_in_any_case() -> None:
    assert name_matches("jose nunez", "José Núñez")
    assert name_matches("NÚÑEZ", "Jose Nunez")


def test_one_typo_is_forgiven_in_each_word() -> None:
    assert name_matches("Jonh Smith", "John Smith")  # swapped letters
    assert name_matches("Johm Smyth", "John Smith")  # a wrong letter in each word
    assert name_matches("Garsia", "María García")
    assert not name_matches("Garzzia", "María García")  # two typos
    assert not name_matches("Smith Peter", "John Smith")  # every word must match


def test_short_words_match_only_as_prefixes() -> None:
    assert name_matches("ma ga", "María García")
    assert not name_matches("mo", "María García")


@given(st.text(alphabet="abcdefghij", min_size=1, max_size=12), st.data())
def test_any_single_edit_is_within_one_edit(word: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(word) - 1))
    letter = data.draw(st.sampled_from("klmnop"))
    assert within_one_edit(word, word[:i] + letter + word[i + 1:])  # substitution
    assert within_one_edit(word, word[:i] + word[i + 1:])  # deletion
    assert within_one_edit(word, word[:i] + letter + word[i:])  # insertion
    if i + 1 < len(word):
        assert within_one_edit(word, word[:i] + word[i + 1] + word[i] + word[i + 2:])  # swap
    assert not within_one_edit(word, word + "kl")


def test_birth_dates_in_several_forms() -> None:
    born = date(1980, 3, 4)
    for typed in ("1980-03-04", "1980/3/4", "03/04/1980", "3/4/80", "March 4 1980", "4 March 1980", "mar 4, 1980"):
        assert parse_birth_date(typed) == born, typed
    assert parse_birth_date("04/03/1980", day_first=True) == born
    assert parse_birth_date("04.03.1980", day_first=True) == born
    assert parse_birth_date("25/12/1990") == date(1990, 12, 25)  # no 25th month: read day first
    assert parse_birth_date("4 de marzo de 1980") is None  # not a form we read
    assert parse_birth_date("John") is None and parse_birth_date("2026-02-30") is None
