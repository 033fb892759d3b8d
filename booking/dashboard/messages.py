"""Every email the clinic sent or will send: its delivery status, and retrying failures."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires, scoped_or_404
from booking.dashboard.query_args import page_arg
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.models import OutboxMessage, OutboxStatus, utcnow
from booking.operations.messages import NotRetryable, retry_message

PAGE_SIZE = 50


@bp.get("/messages")
@requires(Permission.VIEW_SCHEDULE)
def messages() -> str:
    """Messages by status (default: failed first, then everything recent)."""
    clinic = current_clinic()
    wanted = request.args.get("status", "all")
    query = select(OutboxMessage).where(OutboxMessage.clinic_id == clinic.id)
    if wanted != "all":
        try:
            query = query.where(OutboxMessage.status == OutboxStatus(wanted))
        except ValueError:
            abort(400)
    page = page_arg()
    rows = db.session.scalars(
        query.order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.clinic_id == clinic.id)
            .group_by(OutboxMessage.status)
        ).all()
    )
    return render_template(
        "dashboard/messages.html",
        rows=rows[:PAGE_SIZE],
        has_more=len(rows) > PAGE_SIZE,
        page=page,
        wanted=wanted,
        counts={s: counts.get(s, 0) for s in OutboxStatus},
    )


@bp.post("/messages/<int:message_id>/retry")
@requires(Permission.SCHEDULE)
def message_retry(message_id: int) -> Response:
    """Put a failed message back in the queue, due now."""
    row = scoped_or_404(OutboxMessage, message_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        retry_message(current_clinic(), row, actor_id=actor_id(), now=utcnow())
    except NotRetryable as error:
        flash(str(error))
    else:
        db.session.commit()
        flash("The message will be sent again shortly.", "success")
    return redirect(request.referrer if _local(request.referrer) else url_for("dashboard.messages"), 303)


def _local(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)  # type: ignore[union-attr]
