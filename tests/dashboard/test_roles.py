"""Each role sees and does exactly what it should."""
from __future__ import annotations

import re
from typing import Any

import pytest

from booking.models import Clinic, Role
from tests.support.clinic_time import days_ahead, local

ROLES = [Role.FRONT_DESK, Role.CLINICIAN, Role.ADMIN]


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic()


# (method, path template, {role: allowed?}); "allowed" means anything but 403.
MATRIX = [
    ("GET", "/dashboard/", {Role.FRONT_DESK: True, Role.CLINICIAN: True, Role.ADMIN: True}),
    ("GET", "/dashboard/week", {Role.FRONT_DESK: True, Role.CLINICIAN: True, Role.ADMIN: True}),
    ("GET", "/dashboard/requests/", {Role.FRONT_DESK: True, Role.CLINICIAN: True, Role.ADMIN: True}),
    ("GET", "/dashboard/requests/{request}", {Role.FRONT_DESK: True, Role.CLINICIAN: True, Role.ADMIN: True}),
    ("POST", "/dashboard/requests/{request}/review", {Role.FRONT_DESK: False, Role.CLINICIAN: True, Role.ADMIN: False}),
    ("POST", "/dashboard/requests/{request}/status", {Role.FRONT_DESK: True, Role.CLINICIAN: True, Role.ADMIN: True}),
    ("GET", "/dashboard/patients/", {Role.FRONT_DESK: True, Role.CLINICIAN: True, Role.ADMIN: True}),
    ("GET", "/dashboard/settings/", {Role.FRONT_DESK: False, Role.CLINICIAN: False, Role.ADMIN: True}),
    ("GET", "/dashboard/audit", {Role.FRONT_DESK: False, Role.CLINICIAN: False, Role.ADMIN: True}),
    ("GET", "/dashboard/export.csv?from={day}&to={day}", {Role.FRONT_DESK: True, Role.CLINICIAN: False, Role.ADMIN: True}),
]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_permission_matrix(clinic: Clinic, make_request: Any, signed_in: Any, role: Role) -> None:
    item = make_request(clinic, local(clinic, days_ahead(clinic, 2), 9), flagged=True)
    client = signed_in(clinic, role=role)
    for method, template, allowed in MATRIX:
        path = template.format(request=item.id, day=days_ahead(clinic, 1))
        data = {"decision": "needs_call", "status": "contacted"}
        response = client.get(path) if method == "GET" else client.post(path, data=data)
        assert (response.status_code != 403) is allowed[role], (method, path, response.status_code)
        assert response.status_code < 500, (method, path)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_health_answers_only_for_clinical_roles(clinic: Clinic, make_request: Any, signed_in: Any, role: Role) -> None:
    item = make_request(clinic, local(clinic, days_ahead(clinic, 2), 9), medications="CANARY-MEDICATION")
    page = signed_in(clinic, role=role).get(f"/dashboard/requests/{item.id}").get_data(as_text=True)
    assert ("CANARY-MEDICATION" in page) is (role in (Role.CLINICIAN, Role.ADMIN))


def test_navigation_shows_what_the_role_may_use(clinic: Clinic, signed_in: Any) -> None:
    desk = signed_in(clinic).get("/dashboard/").get_data(as_text=True)
    admin = signed_in(clinic, role=Role.ADMIN).get("/dashboard/").get_data(as_text=True)
    assert "/dashboard/settings/" not in desk and "/dashboard/audit" not in desk
    assert "/dashboard/settings/" in admin and "/dashboard/audit" in admin


def test_switching_clinics_only_to_ones_own(make_clinic: Any, signed_in: Any) -> None:
    a, b, c = make_clinic(name="Alpha"), make_clinic(name="Beta"), make_clinic(name="Gamma")
    client = signed_in(a, b)
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Alpha" in page
    # The switcher offers one's own clinics, by name, and nobody else's.
    assert re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page) == ["Alpha", "Beta"]
    assert client.post("/staff/clinic", data={"clinic_id": b.id}).status_code == 303
    assert "Beta" in client.get("/dashboard/").get_data(as_text=True)
    assert client.post("/staff/clinic", data={"clinic_id": c.id}).status_code == 404
    assert "Gamma" not in client.get("/dashboard/").get_data(as_text=True)
