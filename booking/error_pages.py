"""Friendly error pages (JSON under /api/), installed by the app factory."""
from __future__ import annotations

import time

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import force_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from booking.domain.languages import DEFAULT_LANGUAGE
from booking.extensions import db, limiter
from booking.i18n import lazy_text as _l
from booking.input_guard import UnreadableInput

# Pages in the reader's language (lazy texts); the API's messages stay English.
_MESSAGES = {
    400: (_l("Something was wrong with that request"), _l("Please go back and try again.")),
    404: (_l("Page not found"),
          _l("The page you asked for does not exist. Check the address, or start from the list of clinics.")),
    405: (_l("Not allowed"), _l("That action is not available here.")),
    413: (_l("Too much information"),
          _l("What you sent was larger than we accept. Please shorten long answers and try again.")),
    429: (_l("Please wait a moment"), _l("We received several requests from your connection in a short time. "
                                         "Please wait a few minutes and try again, or call the clinic.")),
    500: (_l("Something went wrong on our side"),
          _l("Please try again in a few minutes. If it keeps happening, call the clinic.")),
}
# A request refused by booking.input_guard, and one with a value the database refused:
# the reason in a few words (the API's message, English), then what the error page says.
UNREADABLE_TITLE = _l("Something in what you sent could not be read")
UNREADABLE = (
    "it held a null character or bytes that are not UTF-8",
    _l("It held a character we cannot accept (such as a null character) or text that is not valid "
       "UTF-8, which a web browser never sends. Nothing was saved. Please go back, type it again, and "
       "send it once more."),
)
UNSTORABLE = (
    "it held a value we cannot store",
    _l("It held a value we cannot store, such as a number far too large. Nothing was saved. Please go "
       "back, check what you entered, and try again."),
)


def _render(status: int) -> tuple[Response | str, int]:
    title, text = _MESSAGES.get(status, _MESSAGES[400])
    if request.path.startswith("/api/"):
        return jsonify(error={"status": status, "message": _in_english(title)}), status
    return render_template("errors/error.html", title=title, text=text, status=status), status


def _unreadable(reason: tuple[str, str], field: str | None = None) -> tuple[Response | str, int]:
    """A 400 in the API's error format under /api/ (naming the argument), else the error page."""
    brief, text = reason
    if request.path.startswith("/api/"):
        body: dict[str, object] = {"status": 400, "message": f"{_in_english(UNREADABLE_TITLE)}: {brief}."}
        if field:
            body["field"] = field
        return jsonify(error=body), 400
    return render_template("errors/error.html", title=UNREADABLE_TITLE, text=text, status=400), 400


def _in_english(text: object) -> str:
    """A lazy text read in English, for the API's answers."""
    with force_locale(DEFAULT_LANGUAGE.value):
        return str(text)


def init_error_pages(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[Response | str, int]:
        if request.endpoint == "public.request_form" and request.view_args:
            from booking.public.views import render_after_csrf_failure

            return render_after_csrf_failure(request.view_args["slug"])
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(UnreadableInput)
    def unreadable_input(error: UnreadableInput) -> tuple[Response | str, int]:
        return _unreadable(UNREADABLE, error.field)

    @app.errorhandler(DataError)
    def refused_by_the_database(error: DataError) -> tuple[Response | str, int]:
        # The last line behind booking.input_guard: a value the database cannot take
        # (out of range, wrong form) is the request's fault, not a 500. Logged all the
        # same, since the guard or a form should have stopped it first.
        db.session.rollback()
        # The error's class and SQLSTATE only: the database's text may quote the value, a patient's.
        current_app.logger.error("The database refused a value from %s %s: %s %s", request.method, request.path,
                                 type(error.orig).__name__, getattr(error.orig, "sqlstate", ""))
        return _unreadable(UNSTORABLE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        return _render(error.code or 500)

    @app.errorhandler(429)
    def too_many_requests(error: HTTPException) -> Response:
        limit = limiter.current_limit
        retry_after = max(1, int(limit.reset_at - time.time())) if limit is not None else 60
        if request.endpoint == "public.request_form" and request.view_args:
            # The clinic's own page: the form as it was sent, when to try again, whom to call.
            from booking.public.views import render_after_rate_limit

            response = make_response(render_after_rate_limit(request.view_args["slug"], retry_after))
        elif request.endpoint == "public.embed_form" and request.view_args:
            from booking.public.embed import render_embed_after_rate_limit

            response = make_response(render_embed_after_rate_limit(request.view_args["slug"], retry_after))
        else:
            response = make_response(_render(429))
        response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[Response | str, int]:
        return _render(500)
