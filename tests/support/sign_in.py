"""Signing staff in through the real login form."""
from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.factories import STAFF_PASSWORD


def login(client: FlaskClient, email: str, password: str = STAFF_PASSWORD) -> Any:
    """Sign in through the real login form."""
    return client.post("/staff/login", data={"email": email, "password": password})
