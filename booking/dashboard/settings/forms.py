"""Forms for the clinic settings pages: rules, calendar, chairs, services, instructions."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    Field,
    Form,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from booking.domain.availability import local_instant
from booking.limits import (
    FASTING_HOURS,
    HORIZON_DAYS,
    MIN_NOTICE_HOURS,
    RECOVERY_MINUTES,
    REMINDER_DAYS_BEFORE,
    REMINDER_HOURS_BEFORE,
    SERVICE_MINUTES,
    SLOT_STEP_MINUTES,
    Bounds,
)
from booking.models import ChairKind
from booking.validators import PlainText, strip

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Between:
    """A whole number from `low` to `high`, with one clear message whatever went wrong."""

    def __init__(self, low: int, high: int, what: str) -> None:
        self.low, self.high = low, high
        self.message = f"{what} must be a whole number from {low} to {high}."

    def __call__(self, form: Form, field: Field) -> None:
        if field.process_errors or field.data is None or not self.low <= field.data <= self.high:
            # Replace WTForms' "Not a valid integer value." so only one message shows.
            field.errors[:] = []
            raise StopValidation(self.message)


def _whole(label: str, bounds: Bounds, what: str, optional: bool = False) -> IntegerField:
    first = [Optional()] if optional else []
    return IntegerField(label, validators=[*first, Between(bounds.low, bounds.high, what)])


def _off_or(bounds: Bounds, label: str, unit: str) -> SelectField:
    message = f"Choose Off or {bounds.low} to {bounds.high} {unit}s."
    return SelectField(
        label,
        choices=_off_or_range(bounds.low, bounds.high, unit),
        coerce=_off_or_int,
        invalid_value_message=message,
        invalid_choice_message=message,
    )


def _off_or_int(value: Any) -> int | None:
    """Coerce a select's value: empty means off."""
    if value is None or value == "":
        return None
    return int(value)


def _off_or_range(low: int, high: int, unit: str) -> list[SelectChoice]:
    """Off, then "1 day before", "2 days before" and so on."""
    return [SelectChoice("", "Off")] + [
        SelectChoice(str(n), f"{n} {unit}{'' if n == 1 else 's'} before") for n in range(low, high + 1)
    ]


def _text(label: str, max_length: int, multiline: bool = False) -> StringField:
    field_class = TextAreaField if multiline else StringField
    return field_class(
        label,
        filters=[strip],
        validators=[
            Length(max=max_length, message=f"Keep this to {max_length} characters or fewer."),
            PlainText(multiline=multiline),
        ],
    )


class BookingRulesForm(FlaskForm):
    """How patients may book: slot grid, notice, horizon, instant booking, reminders."""

    slot_step_minutes = _whole("Slot step (minutes)", SLOT_STEP_MINUTES, "The slot step")
    min_notice_hours = _whole("Minimum notice (hours)", MIN_NOTICE_HOURS, "The minimum notice")
    horizon_days = _whole("Booking horizon (days)", HORIZON_DAYS, "The horizon")
    instant_booking = BooleanField("Book consultation requests straight away (first chosen time)")
    reminder_days_before = _off_or(REMINDER_DAYS_BEFORE, "Reminder with the checklist", "day")
    reminder_evening_before = BooleanField("Reminder the evening before")
    reminder_hours_before = _off_or(REMINDER_HOURS_BEFORE, "Reminder on the day", "hour")


class OpeningHoursForm(FlaskForm):
    """One opening range on a weekday, in the clinic's local time."""

    weekday = SelectField(
        "Day",
        choices=[SelectChoice(str(n), name) for n, name in enumerate(WEEKDAYS)],
        coerce=int,
        invalid_value_message="Choose a day of the week.",
        invalid_choice_message="Choose a day of the week.",
    )
    opens = TimeField(
        "Opens",
        validators=[InputRequired("Enter the opening time.")],
        invalid_value_message="Enter the opening time as hours and minutes, e.g. 08:30.",
    )
    closes = TimeField(
        "Closes",
        validators=[InputRequired("Enter the closing time.")],
        invalid_value_message="Enter the closing time as hours and minutes, e.g. 17:00.",
    )

    def validate_closes(self, field: TimeField) -> None:
        """Closing comes after opening."""
        if self.opens.data is not None and field.data is not None and field.data <= self.opens.data:
            raise ValidationError("The closing time must be after the opening time.")


class ClosureDatesForm(FlaskForm):
    """Whole local dates the clinic is shut, first and last day included."""

    start_date = DateField(
        "First day closed",
        validators=[InputRequired("Enter the first day the clinic is closed.")],
        invalid_value_message="Enter the first day as a full date, e.g. 2026-12-24.",
    )
    end_date = DateField(
        "Last day closed",
        validators=[InputRequired("Enter the last day the clinic is closed.")],
        invalid_value_message="Enter the last day as a full date, e.g. 2026-12-26.",
    )
    reason = _text("Reason (optional, shown to staff)", 200)

    def validate_end_date(self, field: DateField) -> None:
        """The last day is not before the first."""
        if self.start_date.data is not None and field.data is not None and field.data < self.start_date.data:
            raise ValidationError("The last day cannot be before the first day.")


class ClosurePeriodForm(FlaskForm):
    """An exact period the clinic is shut, typed on the clinic's wall clock."""

    starts = DateTimeLocalField(
        "Closed from",
        validators=[InputRequired("Enter when the closure starts.")],
        invalid_value_message="Enter a date and time, e.g. 2026-12-24 13:00.",
    )
    ends = DateTimeLocalField(
        "Open again at",
        validators=[InputRequired("Enter when the clinic opens again.")],
        invalid_value_message="Enter a date and time, e.g. 2026-12-24 17:00.",
    )
    reason = _text("Reason (optional, shown to staff)", 200)

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.starts_utc: datetime | None = None
        self.ends_utc: datetime | None = None

    def validate_starts(self, field: DateTimeLocalField) -> None:
        """The start exists on the clinic's clock."""
        self.starts_utc = self._utc(field)

    def validate_ends(self, field: DateTimeLocalField) -> None:
        """The end exists and comes after the start."""
        self.ends_utc = self._utc(field)
        if self.starts_utc is not None and self.ends_utc is not None and self.ends_utc <= self.starts_utc:
            raise ValidationError("The end must be after the start.")

    def _utc(self, field: DateTimeLocalField) -> datetime | None:
        if field.data is None:  # unreadable: the field already says so
            return None
        local = local_instant(field.data.date(), field.data.time(), self.zone)
        if local is None:
            raise ValidationError(
                f"{field.data:%Y-%m-%d %H:%M} does not exist in {self.zone.key}: the clocks skip it."
            )
        return local.astimezone(timezone.utc)


def _chair_name() -> StringField:
    return StringField(
        "Name",
        filters=[strip],
        validators=[
            DataRequired("Enter a name for the chair or room."),
            Length(max=60, message="Keep the name to 60 characters or fewer."),
            PlainText(),
        ],
    )


class ChairForm(FlaskForm):
    """A new chair or consultation room."""

    name = _chair_name()
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(ChairKind.INFUSION.value, "Infusion chair"),
                 SelectChoice(ChairKind.CONSULT.value, "Consultation room")],
        coerce=ChairKind,
        invalid_value_message="Choose infusion chair or consultation room.",
        invalid_choice_message="Choose infusion chair or consultation room.",
    )


class ChairRenameForm(FlaskForm):
    """A chair's new name."""

    name = _chair_name()


class ServiceForm(FlaskForm):
    """What a service is called, how long it takes, and who can book it."""

    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            DataRequired("Enter the service's name."),
            Length(max=120, message="Keep the name to 120 characters or fewer."),
            PlainText(),
        ],
    )
    description = _text("Description", 2000, multiline=True)
    duration_minutes = _whole("Duration (minutes)", SERVICE_MINUTES, "The duration")
    recovery_minutes = _whole("Recovery after (minutes)", RECOVERY_MINUTES, "The recovery time")
    needs_chair = BooleanField("Needs an infusion chair (otherwise a consultation room)")
    public = BooleanField("Patients can request it on the public page")
    active = BooleanField("Active (can be booked)")


class InstructionsForm(FlaskForm):
    """How to prepare for a visit."""

    fasting_hours = _whole("No food for this many hours before (empty: no fasting)", FASTING_HOURS,
                           "Fasting hours", optional=True)
    clear_liquids_hours = _whole("Clear liquids until this many hours before (empty: no limit)", FASTING_HOURS,
                                 "Clear-liquids hours", optional=True)
    medication_review = _text("Medications", 2000, multiline=True)
    driver_required = BooleanField("A driver must take the patient home")
    support_person_text = _text("Support person", 2000, multiline=True)
    other = _text("Anything else", 2000, multiline=True)


class EmbedOriginForm(FlaskForm):
    """A website allowed to show the clinic's form in a frame (booking/domain/embedding.py)."""

    origin = StringField(
        "Website address",
        validators=[DataRequired("Enter the address of your website, like https://www.example.com.")],
    )

    def validate_origin(self, field: StringField) -> None:
        """Written one way only, so the frame-ancestors list matches the browser's origin."""
        from booking.domain.embedding import InvalidOrigin, normalise_origin

        try:
            field.data = normalise_origin(field.data)
        except InvalidOrigin as error:
            raise ValidationError(str(error)) from error
