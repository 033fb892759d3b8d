"""The check-in form: confirmations, driver, medication changes and the service's questionnaires.

The form class is made for the instruments a service asks for: one radio group per item,
named `<instrument>_<item>` (e.g. `phq9_9`), so each unanswered item gets its own error.
"""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from booking.domain.questionnaires import DEFINITIONS, Instrument, Score, score
from booking.i18n import lazy_text as _l
from booking.limits import MEDICATION_CHANGE_CHARS
from booking.manage.instrument_text import WORDING
from booking.validators import PlainText, name_field, phone_field, strip


class _CheckinBase(FlaskForm):
    """What every check-in asks."""

    fasting_confirmed = BooleanField(_l("I will follow the fasting plan above"))
    driver_name = name_field(_l("Driver's or support person's name"), _l("Enter your driver's name."))
    driver_phone = phone_field(_l("Their phone number"), _l("Enter your driver's phone number."))
    driver_confirmed = BooleanField(_l("My driver is confirmed: they know the day and time and will take me home"))
    medication_change = TextAreaField(
        _l("Any change in your medications since your last visit?"),
        filters=[strip],
        validators=[Optional(), Length(max=MEDICATION_CHANGE_CHARS,
                                       message=_l("Please keep this under %(max)d characters.")),
                    PlainText(multiline=True)],
    )

    instruments: tuple[Instrument, ...] = ()
    ask_fasting = False
    ask_driver = False

    def __init__(self, *args: Any, phone_region: str = "US", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phone_region = phone_region
        if not self.ask_driver:
            # Not asked for this visit: neither shown nor required.
            del self.driver_name
            del self.driver_phone
            del self.driver_confirmed
        if not self.ask_fasting:
            del self.fasting_confirmed

    def validate_fasting_confirmed(self, field: BooleanField) -> None:
        """The plan must be confirmed to check in."""
        if not field.data:
            raise ValidationError(_l("Please confirm you will follow the fasting plan, or call us."))

    def item_fields(self, instrument: Instrument) -> list[RadioField]:
        """The radio groups of one instrument, in item order."""
        return [getattr(self, item_name(instrument, n)) for n in range(1, DEFINITIONS[instrument].items + 1)]

    def scores(self) -> list[Score]:
        """The validated answers scored, one per instrument."""
        return [score(i, [f.data for f in self.item_fields(i)]) for i in self.instruments]


def item_name(instrument: Instrument, number: int) -> str:
    """The form name of one item, counted from 1."""
    return f"{instrument.value}_{number}"


def checkin_form_class(instruments: tuple[Instrument, ...], *, ask_fasting: bool, ask_driver: bool) -> type[_CheckinBase]:
    """A form class asking exactly what this visit needs."""
    attrs: dict[str, Any] = {"instruments": instruments, "ask_fasting": ask_fasting, "ask_driver": ask_driver}
    for instrument in instruments:
        definition, wording = DEFINITIONS[instrument], WORDING[instrument]
        choices = [SelectChoice(value, wording.options[value - definition.lowest])
                   for value in range(definition.lowest, definition.highest + 1)]
        for n, text in enumerate(wording.items, start=1):
            attrs[item_name(instrument, n)] = RadioField(
                text, choices=choices, coerce=int,
                validators=[InputRequired(_l("Please choose an answer for question %(num)d.", num=n))],
            )
    return type("CheckinForm", (_CheckinBase,), attrs)
