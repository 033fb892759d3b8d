"""The audit log: who viewed or changed what in the clinic, newest first."""
from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import func, select

from booking.dashboard import bp
from booking.dashboard.audit_subjects import actor_label, subjects
from booking.dashboard.context import current_clinic, requires
from booking.dashboard.query_args import page_arg
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.models import AuditAction, AuditEvent, StaffUser

AUDIT_PAGE_SIZE = 50


@bp.get("/audit")
@requires(Permission.VIEW_AUDIT)
def audit_log() -> str:
    """The current clinic's audit events, newest first, 50 a page."""
    clinic_id = current_clinic().id
    try:
        action = AuditAction(request.args["action"]) if request.args.get("action") else None
    except ValueError:
        abort(400)
    page = page_arg()
    scope = [AuditEvent.clinic_id == clinic_id]
    if action is not None:
        scope.append(AuditEvent.action == action)
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(*scope)) or 0
    events = db.session.execute(
        select(AuditEvent, func.coalesce(AuditEvent.actor_name, StaffUser.full_name))  # the name at the time
        .outerjoin(StaffUser, StaffUser.id == AuditEvent.staff_id)
        .where(*scope)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_PAGE_SIZE)
        .offset((page - 1) * AUDIT_PAGE_SIZE)
    ).all()
    actions = sorted(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.clinic_id == clinic_id).distinct()),
        key=lambda a: a.label,
    )
    return render_template(
        "dashboard/audit.html",
        events=events,
        actions=actions,
        action=action,
        page=page,
        pages=max((total + AUDIT_PAGE_SIZE - 1) // AUDIT_PAGE_SIZE, 1),
        total=total,
        subjects=subjects(clinic_id, [event for event, _ in events]),
        actor_label=actor_label,
    )
