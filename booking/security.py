"""Security headers on every response.

No page may be shown in another site's frame (`frame-ancestors 'none'`, and
`X-Frame-Options: DENY` for old browsers), except the embed routes: those name,
through `allow_framing`, the origins a clinic allowed (booking/public/embed.py).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import Flask, Response, request

_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors {ancestors}; base-uri 'self'; "
    "object-src 'none'"
)
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Endpoint -> the origins that may frame it, given the route's arguments.
FramingRule = Callable[[Mapping[str, Any]], Sequence[str]]
_framable: dict[str, FramingRule] = {}


def allow_framing(endpoint: str, origins_for: FramingRule) -> None:
    """Let the pages of `endpoint` (and its error pages) be framed by `origins_for(view_args)` only.

    The origins must be normalised (booking.domain.embedding.normalise_origin); none gives 'none'.
    """
    _framable[endpoint] = origins_for


def content_security_policy(frame_ancestors: Sequence[str] = ()) -> str:
    """The policy, with `frame-ancestors` listing exactly `frame_ancestors` ('none' if empty)."""
    return _POLICY.format(ancestors=" ".join(frame_ancestors) or "'none'")


def init_security_headers(app: Flask) -> None:
    """Add the headers, and HSTS when cookies are HTTPS-only (i.e. in production)."""
    hsts = app.config["SESSION_COOKIE_SECURE"]

    @app.after_request
    def add_headers(response: Response) -> Response:
        rule = _framable.get(request.endpoint or "")
        if rule is None:
            response.headers.setdefault("Content-Security-Policy", content_security_policy())
            response.headers.setdefault("X-Frame-Options", "DENY")
        else:
            # X-Frame-Options cannot name origins (ALLOW-FROM is gone): CSP alone decides.
            response.headers.setdefault(
                "Content-Security-Policy", content_security_policy(rule(request.view_args or {}))
            )
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
