"""Forms for scheduling work: booking, moving, cancelling, reviewing, series."""
from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from booking.domain.appointment_flow import UNDO_REASONS
from booking.validators import PlainText, WithinCalendar, parse_instant, strip


class StartField(HiddenField):
    """A start time posted as ISO 8601 with offset."""

    def pre_validate(self, form: object) -> None:
        try:
            parse_instant(self.data)
        except ValueError as error:
            raise ValidationError("That time was not understood.") from error

    @property
    def instant(self) -> datetime:
        """The posted time as aware UTC."""
        return parse_instant(self.data)


class BookTimeForm(FlaskForm):
    """Book (or move to) one start time; the key makes a double submit book once."""

    start = StartField()
    chair_id = IntegerField(validators=[Optional()])
    key = HiddenField(validators=[Optional(), Length(max=64)])
    service_id = IntegerField(validators=[Optional()])
    override_consult_first = BooleanField("Override consult-first (clinician)")


class StatusForm(FlaskForm):
    """Move a request or appointment to another status."""

    status = HiddenField(validators=[DataRequired()])


class UndoForm(FlaskForm):
    """Take a status change back; completed and no-show need a reason (a code)."""

    reason = SelectField(
        "Why undo?", validators=[Optional()],
        choices=[SelectChoice("", "Choose a reason"), *(SelectChoice(k, v) for k, v in UNDO_REASONS.items())],
    )


class DriverConfirmForm(FlaskForm):
    """Driver confirmed: with the driver on file, or by phone with the person named here."""

    confirmed_with = StringField(
        "Confirmed by phone with", filters=[strip],
        validators=[Optional(), Length(max=120), PlainText()],
    )


class MoveToAskedForm(FlaskForm):
    """Move a visit to one of the times its patient asked for."""

    start = StartField()


class DeclineChangeForm(FlaskForm):
    """Decline a patient's change request with a short message (emailed to them)."""

    message = TextAreaField(
        "Message to the patient", filters=[strip],
        validators=[DataRequired("Write a short message to the patient."), Length(max=500), PlainText(multiline=True)],
    )


class CancelForm(FlaskForm):
    """Cancel an appointment, with a reason."""

    reason = TextAreaField(
        "Reason for cancelling",
        filters=[strip],
        validators=[DataRequired("Say why the appointment is cancelled."), Length(max=500), PlainText(multiline=True)],
    )


class ReviewForm(FlaskForm):
    """A clinician's decision on a flagged request."""

    decision = SelectField("Decision", validators=[InputRequired()])
    note = TextAreaField("Note", filters=[strip], validators=[Length(max=2000), PlainText(multiline=True)])


class SeriesPlanForm(FlaskForm):
    """How to spread an infusion series; read from the query string."""

    class Meta:
        csrf = False  # a GET form that only proposes a plan

    service_id = SelectField("Infusion", coerce=int, validators=[InputRequired()])
    count = IntegerField("Sessions", default=6, validators=[InputRequired(), NumberRange(1, 12)])
    within_days = IntegerField("Within days", default=21, validators=[InputRequired(), NumberRange(1, 120)])
    min_gap_days = IntegerField("At least days apart", default=1, validators=[InputRequired(), NumberRange(1, 30)])
    first_day = DateField("From", validators=[InputRequired("Choose the first possible day."), WithinCalendar()])
    weekdays = SelectMultipleField(
        "Preferred weekdays", coerce=int, validators=[Optional()],
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
    )
    earliest = TimeField("Not before", validators=[Optional()])
    latest = TimeField("Not after", validators=[Optional()])


class SeriesBookForm(FlaskForm):
    """The sessions staff confirmed, as local date-times, booked all or nothing."""

    service_id = IntegerField(validators=[InputRequired()])
    sessions = SelectMultipleField(validate_choice=False)
    override_consult_first = BooleanField("Override consult-first (clinician)")
