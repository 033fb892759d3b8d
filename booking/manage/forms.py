"""Forms on the patient's appointment page: driver details and other times."""
from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import ValidationError

from booking.i18n import lazy_text as _l
from booking.operations.patient_actions import MAX_TIMES, DriverDetails
from booking.validators import chosen_times, email_field, name_field, phone_field


class DriverForm(FlaskForm):
    """Who drives the patient home, and whether the clinic may email them the pickup time."""

    name = name_field(_l("Driver's or support person's name"), _l("Enter your driver's name."))
    phone = phone_field(_l("Their phone number"), _l("Enter your driver's phone number."))
    email = email_field(_l("Their email"))
    may_email = BooleanField(_l("Send my driver a note with the pickup time"))
    confirmed = BooleanField(_l("My driver is confirmed: they know the day and time and will take me home"))

    def __init__(self, *args: object, phone_region: str = "US", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.phone_region = phone_region

    def validate_may_email(self, field: BooleanField) -> None:
        """A note needs an address to go to."""
        if field.data and not self.email.data:
            raise ValidationError(_l("Enter your driver's email address, or untick this box."))

    def details(self) -> DriverDetails:
        """The validated answers as the domain wants them."""
        return DriverDetails(
            name=self.name.data,
            phone=self.phone.data,
            email=self.email.data or "",
            may_email=bool(self.may_email.data),
            confirmed=bool(self.confirmed.data),
        )


class RescheduleForm(FlaskForm):
    """Up to three other times, as ISO 8601 with an offset."""

    times = SelectMultipleField(_l("Times that suit you"), validate_choice=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.chosen: list[datetime] = []

    def validate_times(self, field: SelectMultipleField) -> None:
        """One to three well-formed times."""
        if not any(field.data or []):
            raise ValidationError(_l("Choose at least one time."))
        chosen = chosen_times(field.data, MAX_TIMES)
        self.chosen = chosen
