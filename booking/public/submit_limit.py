"""The per-address limit on sending the request form, and what counts against it.

A patient who gets an answer wrong and corrects it must not be locked out: a form shown
again to correct (422, or 409 for a time taken meanwhile) does not count. A form taken in
(303, also a bot's post that only looks successful) counts, and so does one refused for a
missing or expired CSRF token (400): forged posts are what the limit is for. For that the
CSRF check runs inside the limited view rather than ahead of it, where a refusal would
never reach the limiter. A second, far larger ceiling counts every post, so that a script
sending one invalid form after another is still stopped.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import current_app, request
from werkzeug.wrappers import Response

from booking.extensions import csrf, limiter

P = ParamSpec("P")
R = TypeVar("R")

# Taken in (or a bot's post made to look so), and refused as forged or expired.
COUNTED_STATUSES = frozenset({303, 400})
# Both request forms (the clinic's page and, where there is one, its embedded copy) share it.
SCOPE = "request-form"


def counts_against_limit(response: Response) -> bool:
    """Whether this answer to a post of the form uses up one of the address's sends."""
    return response.status_code in COUNTED_STATUSES


def _submit_limit() -> str:
    return str(current_app.config["REQUEST_FORM_RATE_LIMIT"])


def _attempt_limit() -> str:
    return str(current_app.config["REQUEST_FORM_ATTEMPT_LIMIT"])


def _check_csrf() -> None:
    if request.method == "POST" and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()  # raises CSRFError, answered by booking.error_pages


def _under_limits(view: Callable[P, R]) -> Callable[P, R]:
    limited = limiter.shared_limit(
        _submit_limit, scope=SCOPE, methods=["POST"], deduct_when=counts_against_limit
    )(view)
    limited = limiter.shared_limit(_attempt_limit, scope=f"{SCOPE}-attempts", methods=["POST"])(limited)
    csrf.exempt(limited)  # the global check would refuse ahead of the limiter
    return limited


def limited_submission(view: Callable[P, R]) -> Callable[P, R]:
    """Put `view` (a form that takes in requests) under the submit limit, its CSRF check inside it."""

    @wraps(view)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        _check_csrf()
        return view(*args, **kwargs)

    return _under_limits(checked)


def limited_embedded_submission(view: Callable[P, R]) -> Callable[P, R]:
    """The same limit (and the same count per address) for the embedded form, which checks its own
    signed token instead of the session's CSRF token and answers a bad one with 400."""
    return _under_limits(view)
