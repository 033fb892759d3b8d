"""Dashboard fixtures: signed-in clients."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from booking.models import Clinic, Role
from tests.support.sign_in import login


@pytest.fixture
def signed_in(app: Flask, make_staff: Any) -> Callable[..., FlaskClient]:
    """Factory: a test client signed in as a new staff member with `role` at `clinics`."""

    def make(*clinics: Clinic, role: Role = Role.FRONT_DESK) -> FlaskClient:
        user = make_staff(*clinics, role=role)
        client = app.test_client()
        assert login(client, user.email).status_code == 303
        client.user = user  # type: ignore[attr-defined]
        return client

    return make
