"""Mail fixtures: a real SMTP server (aiosmtpd, tests/support/smtp.py) on a free local port."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.smtp import SmtpServer, free_port


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def config_overrides(smtp_port: int) -> dict[str, Any]:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 1.0}


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[SmtpServer]:
    """A running SMTP server; tests may stop and restart it."""
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()
