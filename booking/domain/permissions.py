"""What each staff role may do. One table, checked by views and domain alike."""
from __future__ import annotations

import enum

from booking.models import Role


class Permission(enum.Enum):
    """A thing a staff member may be allowed to do at their clinic."""

    VIEW_SCHEDULE = "view_schedule"  # day, week, queue, patients, appointments
    VIEW_HEALTH_ANSWERS = "view_health_answers"  # screening answers, medications
    SCHEDULE = "schedule"  # book, reschedule, cancel, mark arrived/completed/no-show
    REVIEW = "review"  # record a clinician's decision on a flagged request
    OVERRIDE_CONSULT_FIRST = "override_consult_first"
    EXPORT = "export"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT = "view_audit"
    PATIENT_DATA = "patient_data"  # export one patient's data, erase a patient


_EVERYONE = {Permission.VIEW_SCHEDULE, Permission.SCHEDULE}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.FRONT_DESK: frozenset(_EVERYONE | {Permission.EXPORT}),
    Role.CLINICIAN: frozenset(
        _EVERYONE
        | {Permission.VIEW_HEALTH_ANSWERS, Permission.REVIEW, Permission.OVERRIDE_CONSULT_FIRST}
    ),
    Role.ADMIN: frozenset(
        _EVERYONE
        | {
            Permission.VIEW_HEALTH_ANSWERS,
            Permission.EXPORT,
            Permission.MANAGE_SETTINGS,
            Permission.VIEW_AUDIT,
            Permission.PATIENT_DATA,
        }
    ),
}


def can(role: Role | None, permission: Permission) -> bool:
    """True if `role` grants `permission`."""
    return role is not None and permission in GRANTS[role]
