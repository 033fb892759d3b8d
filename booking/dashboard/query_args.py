"""The dashboard's query arguments: dates and page numbers, within what can be shown and counted."""
from __future__ import annotations

from datetime import date

from flask import abort, request

from booking.validators import FIRST_DAY, LAST_DAY

# More pages than any list here will have, and far from where OFFSET would overflow.
MAX_PAGE = 100_000


def date_arg(name: str) -> date | None:
    """`?name=YYYY-MM-DD` from FIRST_DAY to LAST_DAY, None when absent or empty; 400 otherwise.

    The views step days and weeks either side of the day they show, which the ends of
    Python's calendar would not allow.
    """
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        abort(400)
    if not FIRST_DAY <= day <= LAST_DAY:
        abort(400)
    return day


def page_arg() -> int:
    """`?page=N`, from 1 to MAX_PAGE: page 1 for anything that is not a number, the bounds past them."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
