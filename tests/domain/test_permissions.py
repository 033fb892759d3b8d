"""Each role's exact grants."""
from __future__ import annotations

from itertools import product

import pytest

from booking.domain.permissions import GRANTS, Permission, can
from booking.models import Role

P = Permission

EXPECTED = {
    Role.FRONT_DESK: {P.VIEW_SCHEDULE, P.SCHEDULE, P.EXPORT},
    Role.CLINICIAN: {P.VIEW_SCHEDULE, P.SCHEDULE, P.VIEW_HEALTH_ANSWERS, P.REVIEW, P.OVERRIDE_CONSULT_FIRST},
    Role.ADMIN: {P.VIEW_SCHEDULE, P.SCHEDULE, P.VIEW_HEALTH_ANSWERS, P.EXPORT, P.MANAGE_SETTINGS, P.VIEW_AUDIT,
                 P.PATIENT_DATA},
}
PAIRS = list(product(Role, Permission))


def test_the_permissions() -> None:
    assert [p.value for p in Permission] == [
        "view_schedule", "view_health_answers", "schedule", "review", "override_consult_first",
        "export", "manage_settings", "view_audit", "patient_data",
    ]


@pytest.mark.parametrize("role", Role, ids=lambda r: r.value)
def test_each_role_is_granted_exactly(role: Role) -> None:
    assert GRANTS[role] == EXPECTED[role]
    assert isinstance(GRANTS[role], frozenset)


@pytest.mark.parametrize(("role", "permission"), PAIRS, ids=[f"{r.value}-{p.value}" for r, p in PAIRS])
def test_can(role: Role, permission: Permission) -> None:
    assert can(role, permission) is (permission in EXPECTED[role])


def test_clinical_decisions_are_the_clinician_s_and_settings_the_admin_s() -> None:
    assert [r for r in Role if can(r, P.REVIEW)] == [Role.CLINICIAN]
    assert [r for r in Role if can(r, P.OVERRIDE_CONSULT_FIRST)] == [Role.CLINICIAN]
    assert [r for r in Role if can(r, P.MANAGE_SETTINGS)] == [Role.ADMIN]
    assert [r for r in Role if can(r, P.VIEW_AUDIT)] == [Role.ADMIN]
    assert [r for r in Role if can(r, P.EXPORT)] == [Role.FRONT_DESK, Role.ADMIN]
    assert [r for r in Role if can(r, P.VIEW_HEALTH_ANSWERS)] == [Role.CLINICIAN, Role.ADMIN]


@pytest.mark.parametrize("permission", Permission)
def test_no_role_no_permission(permission: Permission) -> None:
    assert can(None, permission) is False
