"""Clinic settings (admin only): chairs and consult rooms, and services."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires, scoped_or_404
from booking.dashboard.settings.forms import (
    ChairForm,
    ChairRenameForm,
    ServiceForm,
)
from booking.dashboard.settings.views import INVALID, back_to, record_change, render_settings
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.models import OCCUPYING_STATUSES, Appointment, AuditAction, Chair, Service, utcnow

_NAME_TAKEN = "Another chair or room is already called that. Choose a different name."


def _name_taken(name: str, except_id: int | None = None) -> bool:
    """Names are unique per clinic; compare without case so "Chair 1" and "chair 1" clash."""
    query = select(Chair.id).where(Chair.clinic_id == current_clinic().id, func.lower(Chair.name) == name.lower())
    if except_id is not None:
        query = query.where(Chair.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def _flushed() -> bool:
    """Flush; False if the database refused a duplicate name (a concurrent edit won)."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _render_chairs(
    form: ChairForm | None = None,
    rename: tuple[int, ChairRenameForm] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    chairs = db.session.scalars(
        select(Chair).where(Chair.clinic_id == current_clinic().id).order_by(Chair.kind, Chair.name)
    ).all()
    return render_settings("chairs.html", status, chairs=chairs, form=form or ChairForm(), rename=rename)


@bp.get("/settings/chairs")
@requires(Permission.MANAGE_SETTINGS)
def settings_chairs() -> tuple[str, int]:
    """Infusion chairs and consultation rooms."""
    return _render_chairs()


@bp.post("/settings/chairs/add")
@requires(Permission.MANAGE_SETTINGS)
def settings_chair_add() -> Response | tuple[str, int]:
    """Add a chair or consultation room."""
    form = ChairForm()
    if form.validate_on_submit() and _name_taken(form.name.data):
        form.name.errors.append(_NAME_TAKEN)
    if form.errors:
        return _render_chairs(form=form, status=INVALID)
    chair = Chair(clinic_id=current_clinic().id, name=form.name.data, kind=form.kind.data, active=True)
    db.session.add(chair)
    if not _flushed():
        form.name.errors.append(_NAME_TAKEN)
        return _render_chairs(form=form, status=INVALID)
    record_change(AuditAction.SETTINGS_CHAIR_ADDED, chair_id=chair.id, kind=chair.kind.value)
    db.session.commit()
    return back_to("settings_chairs", f"Added {chair.name}.")


@bp.post("/settings/chairs/<int:chair_id>/rename")
@requires(Permission.MANAGE_SETTINGS)
def settings_chair_rename(chair_id: int) -> Response | tuple[str, int]:
    """Give a chair a new name."""
    chair = scoped_or_404(Chair, chair_id)
    form = ChairRenameForm()
    if form.validate_on_submit() and _name_taken(form.name.data, except_id=chair.id):
        form.name.errors.append(_NAME_TAKEN)
    if form.errors:
        return _render_chairs(rename=(chair.id, form), status=INVALID)
    if form.name.data == chair.name:
        return back_to("settings_chairs", "Nothing to save: the name is unchanged.")
    chair.name = form.name.data
    if not _flushed():
        form.name.errors.append(_NAME_TAKEN)
        return _render_chairs(rename=(chair_id, form), status=INVALID)
    record_change(AuditAction.SETTINGS_CHAIR_RENAMED, chair_id=chair.id)
    db.session.commit()
    return back_to("settings_chairs", f"Renamed to {chair.name}.")


def _set_active(chair_id: int, active: bool) -> Response:
    chair = scoped_or_404(Chair, chair_id)
    if not ActionForm().validate_on_submit():
        return back_to("settings_chairs", "That form had expired. Please try again.")
    if chair.active == active:
        return back_to("settings_chairs", f"{chair.name} is already {'active' if active else 'inactive'}.")
    chair.active = active
    action = AuditAction.SETTINGS_CHAIR_ACTIVATED if active else AuditAction.SETTINGS_CHAIR_DEACTIVATED
    record_change(action, chair_id=chair.id)
    message = f"{chair.name} is now {'active' if active else 'inactive'}."
    if not active:
        upcoming = db.session.scalar(
            select(func.count()).select_from(Appointment).where(
                Appointment.clinic_id == chair.clinic_id,
                Appointment.chair_id == chair.id,
                Appointment.status.in_(OCCUPYING_STATUSES),
                Appointment.starts_at > utcnow(),
            )
        )
        if upcoming:
            # Deactivating only stops new bookings; the booked ones still need a chair.
            message += f" It still has {upcoming} upcoming appointment(s): please move them."
    db.session.commit()
    return back_to("settings_chairs", message)


@bp.post("/settings/chairs/<int:chair_id>/activate")
@requires(Permission.MANAGE_SETTINGS)
def settings_chair_activate(chair_id: int) -> Response:
    """Let a chair take bookings again."""
    return _set_active(chair_id, True)


@bp.post("/settings/chairs/<int:chair_id>/deactivate")
@requires(Permission.MANAGE_SETTINGS)
def settings_chair_deactivate(chair_id: int) -> Response:
    """Stop offering a chair (it is kept: appointments refer to it)."""
    return _set_active(chair_id, False)


@bp.get("/settings/services")
@requires(Permission.MANAGE_SETTINGS)
def settings_services() -> tuple[str, int]:
    """The clinic's services."""
    services = db.session.scalars(
        select(Service).where(Service.clinic_id == current_clinic().id).order_by(Service.sort_order, Service.id)
    ).all()
    return render_settings("services.html", services=services)


_SERVICE_FIELDS = ("name", "description", "duration_minutes", "recovery_minutes", "needs_chair", "public", "active")
_SERVICE_TEXT = ("name", "description")


@bp.route("/settings/services/<int:service_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def settings_service_edit(service_id: int) -> Response | tuple[str, int]:
    """Edit one service."""
    service = scoped_or_404(Service, service_id)
    form = ServiceForm(obj=service)
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        return render_settings("service.html", status, service=service, form=form)
    changed = [name for name in _SERVICE_FIELDS if getattr(service, name) != form[name].data]
    if not changed:
        return back_to("settings_services", f"Nothing to save: {service.name} is unchanged.")
    # Numbers and switches are logged with their values; text only by name.
    changes = {name: [getattr(service, name), form[name].data] for name in changed if name not in _SERVICE_TEXT}
    for name in changed:
        setattr(service, name, form[name].data)
    record_change(AuditAction.SETTINGS_SERVICE_CHANGED, service_id=service.id, fields=changed, changes=changes)
    db.session.commit()
    return back_to("settings_services", f"Saved {service.name}.")
