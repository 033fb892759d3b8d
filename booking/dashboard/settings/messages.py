"""Settings: how each reminder goes (email, text or both), quiet hours for texts, the readiness call time."""
from __future__ import annotations

from datetime import time

from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import IntegerField, SelectChoice, SelectField, TimeField
from wtforms.validators import InputRequired, NumberRange

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires
from booking.dashboard.settings.views import INVALID, back_to, record_change, render_settings
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.models import AuditAction, ClinicMessaging, ReminderChannels
from booking.queries.sms import messaging_settings

CHANNEL_CHOICES = [SelectChoice(c.value, label) for c, label in (
    (ReminderChannels.EMAIL, "Email"), (ReminderChannels.SMS, "Text (SMS)"), (ReminderChannels.BOTH, "Email and text"),
)]
FIELDS = ("reminder_prep", "reminder_evening", "reminder_final", "quiet_start", "quiet_end", "quiet_exempt_hours",
          "readiness_call_at")


def _channel(label: str) -> SelectField:
    return SelectField(label, choices=CHANNEL_CHOICES, validators=[InputRequired("Choose how it is sent.")])


class MessageSettingsForm(FlaskForm):
    """The clinic's message settings."""

    reminder_prep = _channel("Reminder days before (with the checklist)")
    reminder_evening = _channel("Reminder the evening before (asks to confirm fasting and driver)")
    reminder_final = _channel("Reminder hours before")
    quiet_start = TimeField("No texts from", validators=[InputRequired("Enter a time, e.g. 21:00.")])
    quiet_end = TimeField("Until", validators=[InputRequired("Enter a time, e.g. 08:00.")])
    quiet_exempt_hours = IntegerField(
        "Except within this many hours before a visit",
        validators=[InputRequired("Enter a number of hours from 0 to 24."), NumberRange(0, 24, "Use 0 to 24 hours.")],
    )
    readiness_call_at = TimeField("List unanswered visits as “call to confirm” from, the day before",
                                  validators=[InputRequired("Enter a time, e.g. 19:00.")])


def _form() -> MessageSettingsForm:
    settings = messaging_settings(current_clinic())
    return MessageSettingsForm(data={
        "reminder_prep": settings.reminder_prep.value, "reminder_evening": settings.reminder_evening.value,
        "reminder_final": settings.reminder_final.value, "quiet_start": settings.quiet_start,
        "quiet_end": settings.quiet_end, "quiet_exempt_hours": settings.quiet_exempt_hours,
        "readiness_call_at": settings.readiness_call_at,
    })


@bp.get("/settings/messages")
@requires(Permission.MANAGE_SETTINGS)
def settings_messages() -> tuple[str, int]:
    """The message settings form."""
    return render_settings("messages.html", form=_form())


@bp.post("/settings/messages")
@requires(Permission.MANAGE_SETTINGS)
def settings_messages_save() -> Response | tuple[str, int]:
    """Save the message settings (they apply to reminders planned from now on)."""
    form = MessageSettingsForm()
    if not form.validate_on_submit():
        return render_settings("messages.html", INVALID, form=form)
    clinic = current_clinic()
    row = db.session.get(ClinicMessaging, clinic.id)
    if row is None:
        row = messaging_settings(clinic)
        db.session.add(row)
    new: dict[str, object] = {
        name: ReminderChannels(form[name].data) for name in ("reminder_prep", "reminder_evening", "reminder_final")
    }
    new |= {name: form[name].data for name in ("quiet_start", "quiet_end", "quiet_exempt_hours", "readiness_call_at")}
    changes = {name: [_shown(getattr(row, name)), _shown(value)] for name, value in new.items()
               if getattr(row, name) != value}
    if not changes:
        return back_to("settings_messages", "Nothing to save: the message settings are unchanged.")
    for name, value in new.items():
        setattr(row, name, value)
    record_change(AuditAction.SETTINGS_MESSAGES_CHANGED, changes=changes)
    db.session.commit()
    return back_to("settings_messages", "Message settings saved. They apply to reminders planned from now on.")


def _shown(value: object) -> object:
    if isinstance(value, ReminderChannels):
        return value.value
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value
