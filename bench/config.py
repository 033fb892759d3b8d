"""Where the benchmark keeps things and the settings every server runs with.

Every scenario, and the floor, runs under the same gunicorn command line and the
same environment; only DATABASE_URL changes between databases and scales.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
# Generated SQLite files, server logs and other throw-away files (git-ignored).
SCRATCH = RESULTS / "tmp"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")

HOST = "127.0.0.1"
APP_PORT = int(os.environ.get("BENCH_APP_PORT", "8731"))
FLOOR_PORT = int(os.environ.get("BENCH_FLOOR_PORT", "8732"))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8725"))
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")

# The same for every scenario and for the floor.
GUNICORN_WORKERS = 2
GUNICORN_ARGS = ["--workers", str(GUNICORN_WORKERS), "--worker-class", "sync", "--timeout", "60",
                 "--backlog", "2048", "--log-level", "warning"]

# Huge limits instead of switching the limiter off: the limiter still runs (and
# still talks to Redis) on every limited request, as in production.
RAISED_LIMIT = "1000000 per minute"

# The bench's staff account (a member of the busy clinic only).
STAFF_EMAIL = "bench-frontdesk@bench.example"
STAFF_PASSWORD = "bench-frontdesk-password"
# Submitted requests carry this email domain, so a run can remove them again.
SUBMIT_EMAIL_DOMAIN = "submit.bench.example"
# Outbox messages seeded for the outbox scenario carry this dedupe-key prefix.
OUTBOX_KEY_PREFIX = "bench-outbox:"


@dataclass(frozen=True)
class Target:
    """One database at one scale: where it lives and what it is called."""

    engine: str  # "sqlite" or "postgres"
    scale: int  # appointments

    @property
    def name(self) -> str:
        """Short label, e.g. postgres-100000."""
        return f"{self.engine}-{self.scale}"

    @property
    def database_url(self) -> str:
        """DATABASE_URL as the app reads it."""
        if self.engine == "sqlite":
            return "sqlite:///" + str(SCRATCH / f"{self.name}.sqlite3")
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        return f"{base}/bench_{self.scale}"

    @property
    def meta_path(self) -> Path:
        """Sidecar JSON describing the generated data (date, counts, busy clinic)."""
        return SCRATCH / f"{self.name}.json"


def app_environment(target: Target) -> dict[str, str]:
    """Environment for gunicorn, flask CLI commands and outbox workers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update(
        DATABASE_URL=target.database_url,
        FLASK_APP="booking",
        FLASK_SECRET_KEY="bench-secret-key-not-for-production-0123456789abcdef",
        # Plain http on 127.0.0.1, like the local demo.
        FLASK_SESSION_COOKIE_SECURE="false",
        FLASK_RATELIMIT_STORAGE_URI=REDIS_URL,
        FLASK_REQUEST_FORM_RATE_LIMIT=RAISED_LIMIT,
        FLASK_REQUEST_FORM_ATTEMPT_LIMIT=RAISED_LIMIT,
        FLASK_API_RATE_LIMIT=RAISED_LIMIT,
        FLASK_LOGIN_IP_RATE_LIMIT=RAISED_LIMIT,
        FLASK_LOGIN_ACCOUNT_RATE_LIMIT=RAISED_LIMIT,
        FLASK_MANAGE_RATE_LIMIT=RAISED_LIMIT,
        FLASK_MAIL_SERVER=HOST,
        FLASK_MAIL_PORT=str(SMTP_PORT),
        FLASK_OUTBOX_IDLE_SECONDS="0.2",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env
