"""WTForms validators shared by the forms: plain text, email and phone numbers.

Messages are translated (lazily, or when the check runs): patients read them in their
language, staff in English (the dashboard's pages are English).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timezone

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext, ngettext
from wtforms import EmailField, Field, Form, StringField, TelField, ValidationError
from wtforms.validators import DataRequired, Length

from booking.i18n import lazy_text as _l

# Dates anyone may type: far beyond any visit or birth, and far from the ends of Python's
# calendar (days and weeks are stepped either side of a date, and local days become UTC).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)

# Bidirectional overrides can disguise a name; they have no place in a form.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def has_control_chars(value: str, *, multiline: bool) -> bool:
    """True if `value` holds control characters (newlines and tabs allowed if multiline)."""
    allowed = "\n\r\t" if multiline else ""
    if _BIDI_CONTROLS.search(value):
        return True
    return any(
        unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in value
    )


class PlainText:
    """Refuses control characters; strips surrounding whitespace."""

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None:
            return
        if has_control_chars(field.data, multiline=self.multiline):
            raise ValidationError(gettext("Please remove the special or invisible characters."))


class WithinCalendar:
    """A date from FIRST_DAY to LAST_DAY."""

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
            raise ValidationError(
                gettext("Enter a date between %(first)d and %(last)d.", first=FIRST_DAY.year, last=LAST_DAY.year)
            )


def strip(value: str | None) -> str | None:
    """WTForms filter: trim whitespace."""
    return value.strip() if isinstance(value, str) else value


class EmailAddress:
    """A deliverable-looking address, normalised (no DNS look-up).

    Plain ASCII only: mail relays need SMTPUTF8 for anything else, and most
    refuse it. A local part shaped like an encoded word (`=?...?=`) is refused
    too: mail readers would decode it in the To header.
    """

    message = _l("Enter an email address like name@example.com.")

    def __call__(self, form: Form, field: Field) -> None:
        if not field.data:
            return
        try:
            normalized = validate_email(field.data, check_deliverability=False, allow_smtputf8=False).normalized
        except EmailNotValidError as error:
            raise ValidationError(self.message) from error
        if "=?" in normalized or "?=" in normalized:
            raise ValidationError(self.message)
        field.data = normalized


class PhoneNumber:
    """A valid phone number, stored in E.164; local numbers read in `region_of(form)`."""

    def __init__(self, region_attr: str = "phone_region") -> None:
        self.region_attr = region_attr

    def __call__(self, form: Form, field: Field) -> None:
        if not field.data:
            return
        region = getattr(form, self.region_attr, "US")
        try:
            number = phonenumbers.parse(field.data, region)
        except phonenumbers.NumberParseException as error:
            raise ValidationError(gettext("Enter a phone number we can call, e.g. (312) 555-0142.")) from error
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(gettext("That phone number does not look valid. Please check it."))
        field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def name_field(label: object, required: object, too_long: object = None) -> StringField:
    """A person's name: 2 to 120 plain characters.

    `too_long` is the message for a name too short or too long, with `%(min)d` and `%(max)d`.
    """
    message = too_long or _l("The name should be %(min)d to %(max)d characters.")
    return StringField(
        label,
        filters=[strip],
        validators=[DataRequired(required), Length(min=2, max=120, message=message), PlainText()],
    )


# Number types that can take a text; a landline, toll-free or premium number cannot.
_TEXTABLE = frozenset({
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    phonenumbers.PhoneNumberType.VOIP,
})
TEXTS_REFUSED = _l("This number cannot receive texts. Give a mobile number, or leave texts unticked.")


def can_receive_texts(e164: str) -> bool:
    """True if the valid number `e164` is of a kind that can receive texts (a mobile, or maybe one)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in _TEXTABLE


def phone_field(label: object, required: object) -> TelField:
    """A phone number, stored in E.164 (read in the form's `phone_region`)."""
    return TelField(label, filters=[strip], validators=[DataRequired(required), Length(max=32), PlainText(), PhoneNumber()])


def email_field(label: object, required: object = None) -> EmailField:
    """An email address, normalised; optional when `required` is None."""
    first = [DataRequired(required)] if required else []
    return EmailField(label, filters=[strip], validators=[*first, Length(max=254), PlainText(), EmailAddress()])


def parse_instant(value: str | None) -> datetime:
    """An ISO 8601 time with offset, from FIRST_DAY to LAST_DAY, as aware UTC; ValueError otherwise."""
    moment = datetime.fromisoformat(value or "")
    if moment.tzinfo is None:
        raise ValueError("time without offset")
    # Checked before converting: the ends of the calendar cannot move to UTC.
    if not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise ValueError("time outside the calendar")
    return moment.astimezone(timezone.utc)


def chosen_times(values: list[str] | None, most: int) -> list[datetime]:
    """Posted start times (ISO 8601 with offset), de-duplicated, as aware UTC.

    Raises ValidationError for more than `most`, or one that is not understood.
    """
    unique = list(dict.fromkeys(v for v in values or [] if v))
    if len(unique) > most:
        raise ValidationError(ngettext("Choose at most %(num)d time.", "Choose at most %(num)d times.", most))
    times = []
    for value in unique:
        try:
            times.append(parse_instant(value))
        except ValueError as error:
            raise ValidationError(gettext("One of the chosen times was not understood.")) from error
    return times
