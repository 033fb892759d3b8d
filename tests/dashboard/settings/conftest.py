"""Settings fixtures: a clinic and its admin, signed in."""
from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from booking.models import Clinic, Role


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions")


@pytest.fixture
def admin(signed_in: Any, clinic: Clinic) -> FlaskClient:
    return signed_in(clinic, role=Role.ADMIN)
