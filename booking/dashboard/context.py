"""Who is asking, for which clinic: every dashboard request is scoped here."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, session
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from booking.domain.permissions import Permission, can
from booking.extensions import db, login
from booking.input_guard import MAX_ID
from booking.models import Clinic, Role

M = TypeVar("M")
F = TypeVar("F", bound=Callable[..., Any])


def load_clinic() -> Response | None:
    """Require sign-in and settle the current clinic and role."""
    if not current_user.is_authenticated:
        return login.unauthorized()
    clinic_id = session.get("clinic_id")
    role = current_user.role_at(clinic_id) if clinic_id is not None else None
    if role is None:
        membership = current_user.memberships[0] if current_user.memberships else None
        if membership is None:
            abort(403)
        clinic_id, role = membership.clinic_id, membership.role
        session["clinic_id"] = clinic_id
    g.clinic = db.session.get(Clinic, clinic_id)  # loaded with the user: no query
    g.role = role
    return None


def inject() -> dict[str, Any]:
    """Template helpers: the clinic, the role, permission checks, one's clinics."""
    if not current_user.is_authenticated or "clinic" not in g:
        return {}
    clinics = sorted((m.clinic for m in current_user.memberships), key=lambda c: c.name)
    return {
        "clinic": g.clinic,
        "role": g.role,
        "allowed": lambda name: can(g.role, Permission(name)),
        "my_clinics": clinics,
        "P": Permission,
    }


def current_clinic() -> Clinic:
    """The clinic the signed-in staff member is working in."""
    clinic: Clinic = g.clinic
    return clinic


def current_role() -> Role:
    """Their role there."""
    role: Role = g.role
    return role


def actor_id() -> int:
    """The signed-in staff member's id, for the audit log."""
    return int(current_user.id)


def requires(permission: Permission) -> Callable[[F], F]:
    """Refuse (403) unless the current role grants `permission`."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not can(g.role, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def scoped_or_404(model: type[M], record_id: int) -> M:
    """The record with this id in the current clinic, or 404 (never another clinic's)."""
    if not 0 < record_id <= MAX_ID:  # a posted id no row can have
        abort(404)
    record = db.session.scalar(
        select(model).where(model.clinic_id == g.clinic.id, model.id == record_id)  # type: ignore[attr-defined, arg-type]
    )
    if record is None:
        abort(404)
    return record
