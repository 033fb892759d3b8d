"""How a typed search reads: names folded for accents and case, one typo forgiven, birth dates in several forms."""
from __future__ import annotations

import re
from datetime import date

from booking.folding import fold

# A query token this short matches only as a prefix: one typo in two letters matches anything.
TYPO_MIN_LENGTH = 4


def within_one_edit(a: str, b: str) -> bool:
    """True if `a` becomes `b` by at most one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]


def _token_matches(token: str, words: list[str]) -> bool:
    for word in words:
        if word.startswith(token):
            return True
        if len(token) >= TYPO_MIN_LENGTH and (
            within_one_edit(token, word) or within_one_edit(token, word[: len(token)])
        ):
            return True
    return False


def name_matches(query: str, name: str) -> bool:
    """Every word of the query starts a word of the name, each allowed one typo (accents and case ignored)."""
    tokens = fold(query).split()
    words = fold(name).split()
    return bool(tokens) and all(_token_matches(t, words) for t in tokens)


_NUMERIC_DATE = re.compile(r"^\s*(\d{1,4})[/.\-\s](\d{1,2})[/.\-\s](\d{1,4})\s*$")
_MONTHS = {
    name: i + 1
    for i, names in enumerate([
        ("jan", "january", "ene", "enero"), ("feb", "february", "febrero"), ("mar", "march", "marzo"),
        ("apr", "april", "abr", "abril"), ("may", "mayo"), ("jun", "june", "junio"), ("jul", "july", "julio"),
        ("aug", "august", "ago", "agosto"), ("sep", "sept", "september", "septiembre"),
        ("oct", "october", "octubre"), ("nov", "november", "noviembre"), ("dec", "december", "dic", "diciembre"),
    ])
    for name in names
}


def _year(value: int) -> int:
    # Two-digit years are birth years: 31 to 99 are the 1900s, 00 to 30 the 2000s.
    return value if value >= 100 else (1900 + value if value > 30 else 2000 + value)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(_year(year), month, day)
    except ValueError:
        return None


def parse_birth_date(text: str, *, day_first: bool = False) -> date | None:
    """A date typed as 1980-03-04, 03/04/1980, 3.4.80 or "4 March 1980"; None if it is not one.

    Day or month first for the ambiguous 03/04/1980 follows the clinic's region (`day_first`);
    an impossible reading (13/04) falls back to the other order.
    """
    match = _NUMERIC_DATE.match(text)
    if match:
        a, b, c = (int(g) for g in match.groups())
        if len(match.group(1)) == 4:
            return _date(a, b, c)
        if len(match.group(3)) not in (2, 4):
            return None
        first, second = (_date(c, b, a), _date(c, a, b)) if day_first else (_date(c, a, b), _date(c, b, a))
        return first or second
    words = fold(text).replace(",", " ").split()
    if len(words) == 3:
        numbers = [w for w in words if w.isdigit()]
        months = [_MONTHS[w] for w in words if w in _MONTHS]
        if len(numbers) == 2 and len(months) == 1:
            day, year = (int(n) for n in numbers) if len(numbers[1]) == 4 else (int(numbers[1]), int(numbers[0]))
            return _date(year, months[0], day)
    return None
