"""Behind nginx: the real client address from a configured number of trusted hops, limits shared in Redis."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask

REDIS = "redis://127.0.0.1:6379/6"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS, socket_timeout=1).ping())
    except redis.RedisError:
        return False


class TestOneTrustedHop:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"PROXY_FIX_X_FOR": 1, "LOGIN_IP_RATE_LIMIT": "2 per minute"}

    def test_each_client_behind_the_proxy_has_its_own_limit(self, app: Flask) -> None:
        client = app.test_client()
        one = {"X-Forwarded-For": "203.0.113.5"}
        for _ in range(2):
            assert client.post("/staff/login", data={"email": "a@x.example", "password": "p"},
                               headers=one).status_code == 401
        assert client.post("/staff/login", data={"email": "b@x.example", "password": "p"},
                           headers=one).status_code == 429
        # Another client of the same proxy is not limited by the first.
        assert client.post("/staff/login", data={"email": "c@x.example", "password": "p"},
                           headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 401
        # A client that sends its own X-Forwarded-For cannot pose as someone else: the proxy's
        # hop (the last one) is the address that counts.
        spoof = {"X-Forwarded-For": "198.51.100.77, 203.0.113.5"}
        assert client.post("/staff/login", data={"email": "d@x.example", "password": "p"},
                           headers=spoof).status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(app: Flask) -> None:
    app.config["LOGIN_IP_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    for n in range(2):
        assert client.post("/staff/login", data={"email": f"{n}@x.example", "password": "p"},
                           headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code == 401
    # Anyone could send the header: without PROXY_FIX_X_FOR it changes nothing.
    assert client.post("/staff/login", data={"email": "z@x.example", "password": "p"},
                       headers={"X-Forwarded-For": "203.0.113.99"}).status_code == 429


@pytest.mark.skipif(not _redis_up(), reason="Redis on 127.0.0.1:6379")
class TestSharedLimits:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"RATELIMIT_STORAGE_URI": REDIS, "PROXY_FIX_X_FOR": 1, "LOGIN_IP_RATE_LIMIT": "2 per minute",
                "LOGIN_ACCOUNT_RATE_LIMIT": "2 per 15 minutes"}

    def test_another_process_sees_the_same_limits(self, app: Flask, tmp_path: Path) -> None:
        """A second app process (another host) on the same Redis refuses what this one counted."""
        client = app.test_client()
        for _ in range(2):
            client.post("/staff/login", data={"email": "shared@x.example", "password": "p"},
                        headers={"X-Forwarded-For": "203.0.113.50"})
        other_host = textwrap.dedent(f"""
            from booking import create_app
            from booking.extensions import db
            app = create_app({{"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                              "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/other.sqlite3",
                              "RATELIMIT_STORAGE_URI": "{REDIS}", "PROXY_FIX_X_FOR": 1,
                              "LOGIN_IP_RATE_LIMIT": "2 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "2 per 15 minutes"}})
            with app.app_context():
                db.create_all()
            c = app.test_client()
            ip = c.post("/staff/login", data={{"email": "new@x.example", "password": "p"}},
                        headers={{"X-Forwarded-For": "203.0.113.50"}}).status_code
            account = c.post("/staff/login", data={{"email": "shared@x.example", "password": "p"}},
                             headers={{"X-Forwarded-For": "203.0.113.51"}}).status_code
            print(ip, account)
        """)
        result = subprocess.run([sys.executable, "-c", other_host], capture_output=True, text=True, timeout=60,
                                cwd=Path(__file__).resolve().parents[2])
        assert result.returncode == 0, result.stderr
        # The address used up its limit here, and the account its failures: both hold there too.
        assert result.stdout.split() == ["429", "429"]
