"""Friendly error pages (JSON under /api/), installed by the app factory."""
from __future__ import annotations

import time

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from booking.extensions import limiter

_MESSAGES = {
    400: ("Something was wrong with that request", "Please go back and try again."),
    404: ("Page not found", "The page you asked for does not exist. Check the address, or start from the list of clinics."),
    405: ("Not allowed", "That action is not available here."),
    413: ("Too much information", "What you sent was larger than we accept. Please shorten long answers and try again."),
    429: ("Please wait a moment", "We received several requests from your connection in a short time. "
          "Please wait a few minutes and try again, or call the clinic."),
    500: ("Something went wrong on our side", "Please try again in a few minutes. If it keeps happening, call the clinic."),
}


def _render(status: int) -> tuple[object, int]:
    title, text = _MESSAGES.get(status, _MESSAGES[400])
    if request.path.startswith("/api/"):
        return jsonify(error={"status": status, "message": title}), status
    return render_template("errors/error.html", title=title, text=text, status=status), status


def init_error_pages(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[object, int]:
        if request.endpoint == "public.request_form" and request.view_args:
            from booking.public.views import render_after_csrf_failure

            return render_after_csrf_failure(request.view_args["slug"])
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[object, int]:
        return _render(error.code or 500)

    @app.errorhandler(429)
    def too_many_requests(error: HTTPException) -> Response:
        response = make_response(_render(429))
        limit = limiter.current_limit
        if limit is not None:
            response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
        return response

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[object, int]:
        return _render(500)
