"""For load balancers and monitoring: /healthz, /readyz and /metrics. Counts and states only."""
from __future__ import annotations

import hmac
import re
from collections.abc import Iterator
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from booking import metrics
from booking.extensions import db, limiter
from booking.models import utcnow
from booking.queries.outbox_health import outbox_backlog

bp = Blueprint("health", __name__)
limiter.exempt(bp)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)


@cache
def migration_heads() -> frozenset[str]:
    """The head revisions, read from the migration files' text (without loading Alembic)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in MIGRATIONS.glob("*.py"):
        source = path.read_text()
        found = _REVISION.search(source)
        if found:
            revisions.add(found.group(1))
        down = _DOWN.search(source)
        if down:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return frozenset(revisions - parents)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers. Touches nothing else."""
    return _no_store(jsonify(status="ok"))


def _check_database() -> dict[str, Any]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means not ready
        db.session.rollback()
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def _check_migrations() -> dict[str, Any]:
    heads = migration_heads()
    try:
        current = set(db.session.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except Exception as error:  # no table: never migrated
        db.session.rollback()
        return {"ok": False, "error": type(error).__name__, "head": sorted(heads)}
    return {"ok": current == heads, "current": sorted(current), "head": sorted(heads)}


def _check_redis() -> dict[str, Any] | None:
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    if not uri.startswith(("redis://", "rediss://")):
        return None
    import redis

    try:
        client = redis.Redis.from_url(uri, socket_timeout=1.0, socket_connect_timeout=1.0)
        client.ping()
        client.close()
    except redis.RedisError as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


def _check_outbox() -> dict[str, Any]:
    config = current_app.config
    max_age = config["READY_OUTBOX_MAX_AGE_SECONDS"]
    max_failed = config["READY_OUTBOX_MAX_FAILED"]
    channels = {}
    ok = True
    for backlog in outbox_backlog(utcnow(), timedelta(hours=config["READY_OUTBOX_FAILED_HOURS"])):
        channel_ok = backlog.oldest_due_seconds <= max_age and backlog.failed_recently <= max_failed
        ok = ok and channel_ok
        channels[backlog.channel] = {
            "ok": channel_ok,
            "due": backlog.due,
            "oldest_due_seconds": round(backlog.oldest_due_seconds),
            "failed_recently": backlog.failed_recently,
        }
    return {"ok": ok, "max_age_seconds": max_age, "max_failed": max_failed, "channels": channels}


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Readiness: database, migrations at head, Redis (when used), the outbox within its thresholds."""
    checks: dict[str, Any] = {"database": _check_database()}
    if checks["database"]["ok"]:
        if current_app.config["READY_CHECK_MIGRATIONS"]:
            checks["migrations"] = _check_migrations()
        checks["outbox"] = _check_outbox()
    redis_check = _check_redis()
    if redis_check is not None:
        checks["redis"] = redis_check
    ready = all(check["ok"] for check in checks.values())
    db.session.rollback()
    body = jsonify(status="ready" if ready else "not ready", checks=checks)
    return _no_store(body), 200 if ready else 503


class OutboxCollector(Collector):
    """The outbox's state, read from the database when scraped (the same for every worker)."""

    def collect(self) -> Iterator[Metric]:
        due = GaugeMetricFamily("booking_outbox_due", "Pending messages due now.", labels=["channel"])
        oldest = GaugeMetricFamily(
            "booking_outbox_oldest_due_seconds", "Wait of the oldest due message.", labels=["channel"]
        )
        failed = GaugeMetricFamily(
            "booking_outbox_failed_recent", "Messages failed in the last 24 hours.", labels=["channel"]
        )
        try:
            backlogs = outbox_backlog(utcnow())
        except SQLAlchemyError:
            # The database is down: the process counters still go out; /readyz says why.
            db.session.rollback()
            return
        for backlog in backlogs:
            due.add_metric([backlog.channel], backlog.due)
            oldest.add_metric([backlog.channel], backlog.oldest_due_seconds)
            failed.add_metric([backlog.channel], backlog.failed_recently)
        db.session.rollback()
        yield from (due, oldest, failed)


@bp.get("/metrics")
def prometheus_metrics() -> Response:
    """Prometheus text format; only with METRICS_TOKEN set and sent as a bearer token, else 404."""
    token = current_app.config["METRICS_TOKEN"]
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(offered.encode(), str(token).encode()):
        abort(404)
    body = metrics.exposition(OutboxCollector())
    return _no_store(Response(body, mimetype="text/plain; version=0.0.4"))
