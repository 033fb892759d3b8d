"""Structured logs: one JSON object a line, one line per request, and never anything of a patient.

What a line may hold is decided here, not at each call: the request line names the route
(`manage.page`), never the path or query (a patient's page address is a secret, a search
holds a name); exceptions are written as their type and stack of file:line, never their
message (a database error repeats the values it refused).
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request

from booking import metrics

REQUEST_ID_HEADER = "X-Request-ID"
# A request id passed on by a proxy is kept if it is short and plain, else a new one is made.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}

request_log = logging.getLogger("booking.request")


class JsonFormatter(logging.Formatter):
    """A line of JSON: time, level, logger, message, the record's `extra` fields, and a bare stack."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            line["exc_type"] = record.exc_info[0].__name__
            line["stack"] = [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_tb(record.exc_info[2])]
        return json.dumps(line, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """With LOG_FORMAT "json" (the default), every log line goes to stderr as JSON."""
    if app.config["LOG_FORMAT"] != "json" or app.testing:
        return
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.handlers = [handler]
    root.setLevel(app.config["LOG_LEVEL"])
    # Flask's own handler would print tracebacks with their messages; ours replaces it.
    app.logger.handlers.clear()
    app.logger.propagate = True


def _clinic_slug(status: int) -> str | None:
    clinic = g.get("clinic")
    if clinic is not None:
        return str(clinic.slug)
    if status == 404:  # not a clinic's address: whatever was typed there is not logged
        return None
    slug = (request.view_args or {}).get("slug")
    return str(slug) if isinstance(slug, str) else None


def init_request_logging(app: Flask) -> None:
    """A request id for every request (kept from the proxy if sane), sent back; one log line and metrics each."""

    def log_exception(exc_info: Any) -> None:
        # Flask's own line says "Exception on <path>": a patient's link is a path.
        app.logger.error("unhandled exception", exc_info=exc_info, extra={
            "event": "exception", "request_id": g.get("request_id"), "method": request.method,
            "endpoint": request.endpoint or "unmatched"})

    app.log_exception = log_exception  # type: ignore[method-assign]

    @app.before_request
    def start_clock() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        if started is None:  # refused before our hook ran (e.g. unreadable input)
            g.request_id = uuid.uuid4().hex
            started = time.perf_counter()
        duration = time.perf_counter() - started
        endpoint = request.endpoint or "unmatched"
        response.headers[REQUEST_ID_HEADER] = g.request_id
        metrics.REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        metrics.LATENCY.labels(endpoint).observe(duration)
        if response.status_code == 429:
            metrics.RATE_LIMITED.labels(endpoint).inc()
        request_log.info(
            "request",
            extra={
                "event": "request",
                "request_id": g.request_id,
                "method": request.method,
                "endpoint": endpoint,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 2),
                "clinic": _clinic_slug(response.status_code),
            },
        )
        return response
