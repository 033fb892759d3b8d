"""Clinic settings (admin only): pre-visit instructions, the default and per service."""
from __future__ import annotations

from sqlalchemy import select
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires, scoped_or_404
from booking.dashboard.settings.forms import InstructionsForm
from booking.dashboard.settings.views import INVALID, back_to, record_change, render_settings
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.models import AuditAction, PrevisitInstructions, Service

_FIELDS = (
    "fasting_hours",
    "clear_liquids_hours",
    "medication_review",
    "driver_required",
    "support_person_text",
    "other",
)
_TEXT = ("medication_review", "support_person_text", "other")


def _row_for(service_id: int | None) -> PrevisitInstructions | None:
    """The clinic's default row (service_id None) or one service's override."""
    clinic_id = current_clinic().id
    match = (
        PrevisitInstructions.service_id.is_(None)
        if service_id is None
        else PrevisitInstructions.service_id == service_id
    )
    return db.session.scalar(
        select(PrevisitInstructions).where(PrevisitInstructions.clinic_id == clinic_id, match)
    )


def _copy_form(row: PrevisitInstructions, form: InstructionsForm) -> list[str]:
    """Copy the form onto `row`; the names of the fields that changed."""
    changed = []
    for name in _FIELDS:
        value = form[name].data
        if name in _TEXT:
            value = value or ""
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


@bp.get("/settings/instructions")
@requires(Permission.MANAGE_SETTINGS)
def settings_instructions() -> tuple[str, int]:
    """The default instructions and which services have their own."""
    clinic_id = current_clinic().id
    rows = db.session.scalars(
        select(PrevisitInstructions).where(PrevisitInstructions.clinic_id == clinic_id)
    ).all()
    by_service = {row.service_id: row for row in rows}
    services = db.session.scalars(
        select(Service).where(Service.clinic_id == clinic_id).order_by(Service.sort_order, Service.id)
    ).all()
    return render_settings(
        "instructions.html",
        default=by_service.get(None),
        services=[(service, by_service.get(service.id)) for service in services],
    )


@bp.route("/settings/instructions/default", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def settings_instructions_default() -> Response | tuple[str, int]:
    """Edit the instructions every service uses unless it has its own."""
    row = _row_for(None)
    form = InstructionsForm(obj=row)
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        return render_settings("instructions_edit.html", status, form=form, service=None, row=row)
    if row is None:
        row = PrevisitInstructions(clinic_id=current_clinic().id, service_id=None)
        db.session.add(row)
    changed = _copy_form(row, form)
    if not changed:
        return back_to("settings_instructions", "Nothing to save: the default instructions are unchanged.")
    db.session.flush()
    record_change(AuditAction.SETTINGS_INSTRUCTIONS_CHANGED, service_id=None, instructions_id=row.id, fields=changed)
    db.session.commit()
    return back_to("settings_instructions", "Default instructions saved.")


@bp.route("/settings/instructions/services/<int:service_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def settings_instructions_service(service_id: int) -> Response | tuple[str, int]:
    """Add or edit one service's own instructions (a new one starts from the default)."""
    service = scoped_or_404(Service, service_id)
    row = _row_for(service.id)
    form = InstructionsForm(obj=row or _row_for(None))
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        return render_settings("instructions_edit.html", status, form=form, service=service, row=row)
    action = AuditAction.SETTINGS_INSTRUCTIONS_CHANGED
    if row is None:
        row = PrevisitInstructions(clinic_id=current_clinic().id, service_id=service.id)
        db.session.add(row)
        action = AuditAction.SETTINGS_INSTRUCTIONS_OVERRIDE_ADDED
    changed = _copy_form(row, form)
    if not changed and action is AuditAction.SETTINGS_INSTRUCTIONS_CHANGED:
        return back_to("settings_instructions", f"Nothing to save: the instructions for {service.name} are unchanged.")
    db.session.flush()
    record_change(action, service_id=service.id, instructions_id=row.id, fields=changed)
    db.session.commit()
    return back_to("settings_instructions", f"Instructions for {service.name} saved.")


@bp.post("/settings/instructions/services/<int:service_id>/delete")
@requires(Permission.MANAGE_SETTINGS)
def settings_instructions_service_delete(service_id: int) -> Response:
    """Remove a service's own instructions: it uses the default again."""
    service = scoped_or_404(Service, service_id)
    row = _row_for(service.id)
    if not ActionForm().validate_on_submit():
        return back_to("settings_instructions", "That form had expired. Please try again.")
    if row is None:
        return back_to("settings_instructions", f"{service.name} already uses the default instructions.")
    record_change(AuditAction.SETTINGS_INSTRUCTIONS_OVERRIDE_REMOVED, service_id=service.id, instructions_id=row.id)
    db.session.delete(row)
    db.session.commit()
    return back_to("settings_instructions", f"{service.name} now uses the default instructions.")
