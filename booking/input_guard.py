"""Input refused at the edge: text no database can store, and numbers no id can be.

PostgreSQL cannot hold a NUL character in text, and bytes that are not UTF-8 (%FF, or
a lone surrogate sent as %ED%A0%80) are not text at all: Werkzeug would quietly turn
them into U+FFFD and they would reach queries and forms looking ordinary. Only broken
clients and probes send either, so a request whose path, query string or form holds
one is refused as a whole, with a 400 that says so, before any view, form or rate
limit reads it. Ids in addresses are bounded to what an integer column holds, so a
larger one is simply not found.
"""
from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

# The largest value of an `integer` column (PostgreSQL; SQLite takes more, but ids never get there).
MAX_ID = 2**31 - 1


class UnreadableInput(BadRequest):
    """The request holds a NUL or bytes that are not UTF-8; `field` names where, if it can."""

    def __init__(self, field: str | None = None) -> None:
        super().__init__()
        self.field = field


class IdConverter(IntegerConverter):
    """`<int:...>` in routes, at most MAX_ID: a larger number names nothing, so the URL is a 404."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def unreadable(raw: bytes) -> bool:
    """True if `raw` holds a NUL or is not UTF-8 (Python's decoder refuses encoded surrogates too)."""
    if b"\x00" in raw:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _check_urlencoded(encoded: bytes) -> None:
    """Raise UnreadableInput for the first `name=value` pair holding unreadable text."""
    for pair in encoded.split(b"&"):
        name, _, value = pair.partition(b"=")
        raw_name = unquote_to_bytes(name)
        if unreadable(raw_name):
            raise UnreadableInput()
        if unreadable(unquote_to_bytes(value)):
            raise UnreadableInput(raw_name.decode("utf-8"))


def _path_bytes() -> bytes:
    path = request.environ.get("PATH_INFO", "")
    try:
        # WSGI servers pass the decoded path as latin-1 text: one character per byte.
        return path.encode("latin-1")
    except UnicodeEncodeError:
        # A server that decoded it itself: a lone surrogate left in it still fails to decode.
        return path.encode("utf-8", "surrogatepass")


def refuse_unreadable_input() -> None:
    """Refuse (400) a request whose path, query string or form holds a NUL or bytes that are not UTF-8.

    Cookies are not looked at: the app reads only its own signed ones, and a stray
    cookie from elsewhere on the domain must not lock anyone out.
    """
    if unreadable(_path_bytes()):
        raise UnreadableInput()
    _check_urlencoded(request.query_string)
    if request.mimetype == "application/x-www-form-urlencoded":
        # Kept, so the form is parsed from the same bytes afterwards.
        _check_urlencoded(request.get_data(cache=True))
    elif request.mimetype == "multipart/form-data":
        # Werkzeug has replaced bytes that are not UTF-8 in these already; a NUL survives.
        for name, value in request.form.items(multi=True):
            if "\x00" in name:
                raise UnreadableInput()
            if "\x00" in value:
                raise UnreadableInput(name)


def init_input_guard(app: Flask) -> None:
    """Bound `<int:...>` to ids and refuse unreadable input before anything else reads the request.

    Call before registering blueprints: a route takes its converter when it is added.
    """
    app.url_map.converters["int"] = IdConverter
    # First of all, ahead of the rate limiter and CSRF, which read the form too.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unreadable_input)
