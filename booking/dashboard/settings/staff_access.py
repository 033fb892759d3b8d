"""Settings → Staff sign-in (admins): who has two-factor on, and unlocking a locked account."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from booking.auth import lockout
from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires
from booking.dashboard.settings.views import render_settings
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.models import AuditAction, Membership, StaffUser
from booking.operations import audit


@bp.get("/settings/staff")
@requires(Permission.MANAGE_SETTINGS)
def settings_staff() -> tuple[str, int]:
    """The clinic's staff: role, two-factor, and whether failed sign-ins have locked them out."""
    clinic = current_clinic()
    rows = db.session.execute(
        select(StaffUser, Membership.role)
        .join(Membership, Membership.staff_id == StaffUser.id)
        .where(Membership.clinic_id == clinic.id)
        .order_by(StaffUser.full_name)
    ).all()
    staff = [(user, role, lockout.seconds_locked(user.email)) for user, role in rows]
    return render_settings("staff.html", staff=staff)


@bp.post("/settings/staff/<int:staff_id>/unlock")
@requires(Permission.MANAGE_SETTINGS)
def settings_staff_unlock(staff_id: int) -> Response:
    """Forget a member's failed sign-ins, so they may try again now; audited."""
    clinic = current_clinic()
    user = db.session.scalar(
        select(StaffUser).join(Membership, Membership.staff_id == StaffUser.id)
        .where(StaffUser.id == staff_id, Membership.clinic_id == clinic.id)
    )
    if user is None or not ActionForm().validate_on_submit():
        abort(404 if user is None else 400)
    lockout.unlock(user.email)
    audit.record(clinic.id, actor_id(), AuditAction.ACCOUNT_UNLOCKED, "staff", user.id)
    db.session.commit()
    flash(f"{user.full_name} can sign in again.")
    return redirect(url_for("dashboard.settings_staff"), 303)
