"""/healthz, /readyz and /metrics: what a load balancer and Prometheus see."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text, update

from booking import create_app
from booking.extensions import db, limiter
from booking.health import migration_heads
from booking.models import Clinic, OutboxMessage, OutboxStatus, utcnow
from tests.support.request_form import form_data

TOKEN = "metrics-token-for-tests"


@pytest.fixture
def config_overrides() -> Iterator[dict[str, Any]]:
    # A default limit on every route, which the health routes must not be under.
    yield {"METRICS_TOKEN": TOKEN, "RATELIMIT_DEFAULT": "2 per minute"}
    limiter.limit_manager.set_default_limits([])  # the extension keeps it across apps


@pytest.fixture
def at_head(app: Flask) -> Iterator[None]:
    """The database stamped with the migrations' head, as `flask db upgrade` leaves it."""
    with app.app_context():
        db.session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        for head in migration_heads():
            db.session.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
        db.session.commit()
    yield
    with app.app_context():
        db.session.execute(text("DROP TABLE alembic_version"))
        db.session.commit()


def submit(client: FlaskClient, clinic: Clinic) -> None:
    assert client.post(f"/{clinic.slug}/request", data=form_data(clinic)).status_code == 303


def test_healthz_answers_and_is_not_rate_limited(client: FlaskClient) -> None:
    for _ in range(5):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_every_answer_carries_a_request_id_kept_from_the_proxy_when_sane(client: FlaskClient) -> None:
    fresh = client.get("/healthz").headers["X-Request-ID"]
    assert len(fresh) == 32
    assert client.get("/healthz").headers["X-Request-ID"] != fresh
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234abcd"}).headers["X-Request-ID"] == "lb-1234abcd"
    odd = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"}).headers["X-Request-ID"]
    assert odd != "<script>alert(1)</script>" and len(odd) == 32


def test_ready_at_head_with_an_empty_outbox(client: FlaskClient, at_head: None) -> None:
    for _ in range(4):  # exempt from the 2-per-minute default limit
        response = client.get("/readyz")
        assert response.status_code == 200, response.json
    body = response.json
    assert body["status"] == "ready"
    assert body["checks"]["migrations"]["current"] == sorted(migration_heads())
    assert body["checks"]["outbox"]["channels"]["email"] == {
        "ok": True, "due": 0, "oldest_due_seconds": 0, "failed_recently": 0}
    assert "redis" not in body["checks"]


def test_not_ready_before_migrations(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"]["ok"] is False


def test_not_ready_behind_head(client: FlaskClient, at_head: None, ctx: None) -> None:
    db.session.execute(text("UPDATE alembic_version SET version_num = 'e4b7c2d9a8f1'"))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"] == {
        "ok": False, "current": ["e4b7c2d9a8f1"], "head": sorted(migration_heads())}


def test_mail_waiting_too_long_turns_not_ready(
    client: FlaskClient, at_head: None, make_clinic: Any
) -> None:
    clinic = make_clinic()
    submit(client, clinic)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["outbox"]["channels"]["email"]["due"] == 1
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(minutes=20)))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    email = response.json["checks"]["outbox"]["channels"]["email"]
    assert email["ok"] is False and email["due"] == 1 and 1190 <= email["oldest_due_seconds"] <= 1300
    # Nothing of the patient in the answer.
    assert "robin" not in response.get_data(as_text=True).lower()


def test_failed_messages_past_the_threshold_turn_not_ready(
    app: Flask, client: FlaskClient, at_head: None, make_clinic: Any
) -> None:
    app.config["READY_OUTBOX_MAX_FAILED"] = 0
    clinic = make_clinic()
    submit(client, clinic)
    db.session.execute(update(OutboxMessage).values(status=OutboxStatus.FAILED))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["outbox"]["channels"]["email"]["failed_recently"] == 1


def test_redis_is_checked_when_the_limits_live_there(app: Flask, client: FlaskClient, at_head: None) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/6"
    response = client.get("/readyz")
    assert response.json["checks"]["redis"] == {"ok": True}
    assert response.status_code == 200
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/6"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"]["ok"] is False


def test_database_down_is_not_ready(app: Flask, tmp_path: Path) -> None:
    other = create_app({"TESTING": True, "SECRET_KEY": "x",
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"})
    response = other.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"]["ok"] is False


def test_metrics_are_not_public(app: Flask, client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    app.config["METRICS_TOKEN"] = None
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer None"}).status_code == 404


def test_metrics_count_requests_bookings_and_the_outbox(client: FlaskClient, make_clinic: Any) -> None:
    clinic = make_clinic()
    client.get(f"/{clinic.slug}/")
    submit(client, clinic)
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'booking_http_requests_total{endpoint="public.clinic_page",method="GET",status="200"}' in body
    assert 'booking_http_request_duration_seconds_bucket{endpoint="public.request_form"' in body
    assert 'booking_outbox_due{channel="email"} 1.0' in body
    assert "robin" not in body.lower() and clinic.slug not in body


def test_metrics_add_up_across_gunicorn_workers(tmp_path: Path) -> None:
    """Multiprocess mode: two processes count, a third scrapes the sum."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = "from booking import metrics; metrics.BOOKINGS.labels('staff').inc(3)"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, check=True)
    scrape = "from booking import metrics; print(metrics.exposition().decode())"
    out = subprocess.run([sys.executable, "-c", scrape], env=env, check=True, capture_output=True, text=True).stdout
    assert 'booking_bookings_total{booker="staff"} 6.0' in out
