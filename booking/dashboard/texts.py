"""Texts: the inbox of replies staff read and answer, and the local log of texts when no provider is set."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires, scoped_or_404
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.forms import ActionForm
from booking.mail.outbox import MANAGE_URL_PLACEHOLDER
from booking.mail.sms import sms_settings
from booking.models import Channel, InboundKind, OutboxMessage, Patient, SmsInbound, utcnow
from booking.operations.sms_inbound import NotAnswerable, answer_text
from booking.validators import PlainText, strip

INBOX_SIZE = 100
LOG_SIZE = 50
# Two segments of GSM-7: an answer longer than this costs more and may arrive in pieces.
ANSWER_MAX = 306


class AnswerForm(FlaskForm):
    """Staff's answer to one text."""

    body = TextAreaField("Answer", filters=[strip],
                         validators=[DataRequired("Write an answer."), Length(max=ANSWER_MAX), PlainText(multiline=True)])


@bp.context_processor
def texts_badge() -> dict[str, Any]:
    """`unread_texts()` for the navigation: replies nobody has read yet."""

    def unread_texts() -> int:
        clinic = current_clinic()
        return db.session.scalar(select(func.count()).select_from(SmsInbound).where(
            SmsInbound.clinic_id == clinic.id, SmsInbound.read_at.is_(None))) or 0

    return {"unread_texts": unread_texts}


def _log_text(row: OutboxMessage) -> str:
    return row.body_text.replace(MANAGE_URL_PLACEHOLDER, "[link to the patient's page]")


@bp.get("/texts")
@requires(Permission.VIEW_SCHEDULE)
def texts(answer_form: AnswerForm | None = None, answering: int | None = None) -> tuple[str, int]:
    """Replies patients sent (unread first), and texts kept in the local log."""
    clinic = current_clinic()
    inbox = db.session.execute(
        select(SmsInbound, Patient)
        .outerjoin(Patient, Patient.id == SmsInbound.patient_id)
        .where(SmsInbound.clinic_id == clinic.id)
        .order_by(SmsInbound.read_at.is_not(None), SmsInbound.received_at.desc())
        .limit(INBOX_SIZE)
    ).all()
    answers = {
        row.dedupe_key.split(":")[1]: row for row in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.clinic_id == clinic.id, OutboxMessage.channel == Channel.SMS,
                                        OutboxMessage.dedupe_key.like("sms_answer:%"))
            .order_by(OutboxMessage.id.desc()).limit(INBOX_SIZE))
    }
    logged = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.clinic_id == clinic.id, OutboxMessage.provider == "log")
        .order_by(OutboxMessage.sent_at.desc()).limit(LOG_SIZE)
    ).all()
    return render_template(
        "dashboard/texts.html", inbox=inbox, answers=answers, logged=[(row, _log_text(row)) for row in logged],
        logging_only=sms_settings(clinic).provider == "log", answer_form=answer_form or AnswerForm(),
        answering=answering, other=InboundKind.OTHER,
    ), 200 if answer_form is None else 422


@bp.post("/texts/<int:inbound_id>/answer")
@requires(Permission.SCHEDULE)
def text_answer(inbound_id: int) -> Response | tuple[str, int]:
    """Answer a text; it goes out through the outbox like every other."""
    inbound = scoped_or_404(SmsInbound, inbound_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return texts(answer_form=form, answering=inbound.id)
    try:
        sent = answer_text(current_clinic(), inbound, form.body.data, actor_id=actor_id(), now=utcnow())
    except NotAnswerable as error:
        flash(str(error))
        return redirect(url_for("dashboard.texts"), 303)
    db.session.commit()
    flash("Answer queued." if sent is not None else "Not sent: this number opted out of texts (STOP).")
    return redirect(url_for("dashboard.texts"), 303)


@bp.post("/texts/<int:inbound_id>/read")
@requires(Permission.VIEW_SCHEDULE)
def text_read(inbound_id: int) -> Response:
    """Mark a text as read without answering."""
    inbound = scoped_or_404(SmsInbound, inbound_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    inbound.read_at = inbound.read_at or utcnow()
    db.session.commit()
    return redirect(url_for("dashboard.texts"), 303)
