"""Clinic settings (admin only): putting the request form on the clinic's own website.

The admin lists the websites (origins) allowed to show the form in a frame; the page gives
the snippet to paste there (booking/public/embed.py serves what it shows).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires, scoped_or_404
from booking.dashboard.settings.forms import EmbedOriginForm
from booking.dashboard.settings.views import INVALID, back_to, record_change, render_settings
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.models import AuditAction, EmbedOrigin, utcnow
from booking.queries.embedding import embed_origins, may_embed

_ALREADY = "That website is already on the list."


def _render_embed(form: EmbedOriginForm | None = None, status: int = 200) -> tuple[str, int]:
    clinic = current_clinic()
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return render_settings(
        "embed.html", status,
        origins=embed_origins(clinic),
        form=form or EmbedOriginForm(),
        script_url=f"{base}/static/embed.js",
        frame_url=f"{base}/{clinic.slug}/embed?source=website",
    )


@bp.get("/settings/embed")
@requires(Permission.MANAGE_SETTINGS)
def settings_embed() -> tuple[str, int]:
    """Embed on your website: the allowed websites and the snippet."""
    return _render_embed()


@bp.post("/settings/embed/add")
@requires(Permission.MANAGE_SETTINGS)
def settings_embed_add() -> Response | tuple[str, int]:
    """Allow one more website to show the form."""
    form = EmbedOriginForm()
    if not form.validate_on_submit():
        return _render_embed(form, INVALID)
    clinic = current_clinic()
    if may_embed(clinic, form.origin.data):
        form.origin.errors.append(_ALREADY)
        return _render_embed(form, INVALID)
    row = EmbedOrigin(clinic_id=clinic.id, origin=form.origin.data, created_at=utcnow())
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # added by someone else a moment ago
        db.session.rollback()
        form.origin.errors.append(_ALREADY)
        return _render_embed(form, INVALID)
    record_change(AuditAction.SETTINGS_EMBED_ORIGIN_ADDED, embed_origin_id=row.id, origin=row.origin)
    db.session.commit()
    return back_to("settings_embed", f"{row.origin} may now show your form.")


@bp.post("/settings/embed/<int:origin_id>/delete")
@requires(Permission.MANAGE_SETTINGS)
def settings_embed_delete(origin_id: int) -> Response:
    """Stop a website from showing the form (browsers refuse the frame from then on)."""
    row = scoped_or_404(EmbedOrigin, origin_id)
    origin = row.origin
    db.session.delete(row)
    db.session.flush()
    record_change(AuditAction.SETTINGS_EMBED_ORIGIN_REMOVED, embed_origin_id=origin_id, origin=origin)
    db.session.commit()
    return back_to("settings_embed", f"{origin} can no longer show your form.")
