"""The consultation request form."""
from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from booking.domain.screening import SCREENING_QUESTIONS
from booking.i18n import lazy_text as _l
from booking.models import Answer, Concern, Language
from booking.operations.intake import MAX_PREFERRED_TIMES, RequestDetails
from booking.validators import (
    TEXTS_REFUSED,
    PlainText,
    can_receive_texts,
    chosen_times,
    email_field,
    name_field,
    phone_field,
    strip,
)

# Labels and messages are lazy: the form is defined once, and shown in each reader's language.
CONCERN_CHOICES = [
    SelectChoice(Concern.DEPRESSION.value, _l("Depression")),
    SelectChoice(Concern.ANXIETY.value, _l("Anxiety")),
    SelectChoice(Concern.PTSD.value, _l("PTSD")),
    SelectChoice(Concern.CHRONIC_PAIN.value, _l("Chronic pain (e.g. CRPS, fibromyalgia, neuropathic pain)")),
    SelectChoice(Concern.MIGRAINE.value, _l("Chronic migraine")),
    SelectChoice(Concern.OTHER.value, _l("Something else")),
]
ANSWER_CHOICES = [
    SelectChoice(Answer.NO.value, _l("No")),
    SelectChoice(Answer.YES.value, _l("Yes")),
    SelectChoice(Answer.UNSURE.value, _l("Not sure")),
]
ANSWER_REQUIRED = _l("Please choose an answer.")

# What `new_form_key` makes: 24 random bytes, URL-safe base64.
_FORM_KEY = re.compile(r"[A-Za-z0-9_-]{32}")


def new_form_key() -> str:
    """A fresh one-time key for a request form page."""
    return secrets.token_urlsafe(24)


def is_form_key(value: object) -> bool:
    """True if `value` has the shape of a key `new_form_key` made."""
    return isinstance(value, str) and _FORM_KEY.fullmatch(value) is not None

# Question text for each screening field, in form order.
SCREENING_LABELS = {
    "heart_condition": _l("Do you have high blood pressure or a heart condition?"),
    "substance_misuse": _l("Have you ever had problems with alcohol or drug use?"),
    "psychosis_or_mania": _l("Have you ever had psychosis or mania?"),
    "pregnancy": _l("Are you pregnant, or could you be?"),
}


def _answer(label: object) -> RadioField:
    return RadioField(label, choices=ANSWER_CHOICES, validators=[InputRequired(ANSWER_REQUIRED)])


class ConsultationRequestForm(FlaskForm):
    """What a prospective patient fills in to ask for a consultation."""

    service = RadioField(_l("Type of consultation"), validators=[InputRequired(_l("Choose a consultation type."))])
    # Declared in page order, so the error summary lists its items in the order of the page.
    preferred_times = SelectMultipleField(_l("Preferred times"), validate_choice=False)
    call_me = BooleanField(_l("Please call me to find a time"))
    full_name = name_field(
        _l("Full name"), _l("Enter your full name."),
        too_long=_l("Your name should be %(min)d to %(max)d characters."),
    )
    email = email_field(_l("Email"), _l("Enter your email address."))
    phone = phone_field(_l("Phone"), _l("Enter a phone number."))
    date_of_birth = DateField(
        _l("Date of birth"),
        validators=[DataRequired(_l("Enter your date of birth as a full date."))],
    )
    concern = RadioField(
        _l("What would you like help with?"),
        choices=CONCERN_CHOICES,
        validators=[InputRequired(_l("Choose what you would like help with."))],
    )
    concern_details = TextAreaField(
        _l("Anything you would like us to know"),
        filters=[strip],
        validators=[Length(max=1000), PlainText(multiline=True)],
    )
    heart_condition = _answer(SCREENING_LABELS["heart_condition"])
    substance_misuse = _answer(SCREENING_LABELS["substance_misuse"])
    psychosis_or_mania = _answer(SCREENING_LABELS["psychosis_or_mania"])
    pregnancy = _answer(SCREENING_LABELS["pregnancy"])
    medications = TextAreaField(
        _l("Medications you take now (optional)"),
        filters=[strip],
        validators=[Length(max=2000), PlainText(multiline=True)],
    )
    support_person = RadioField(
        _l("Can someone come with you and drive you home after treatment?"),
        choices=ANSWER_CHOICES,
        validators=[InputRequired(ANSWER_REQUIRED)],
    )
    consent_email = BooleanField(_l("By email"), default=True)
    consent_phone = BooleanField(_l("By phone"), default=True)
    # Texts need their own consent, never ticked in advance (booking/domain/sms_consent.py).
    consent_sms = BooleanField(_l("Text me about my visits"), default=False)
    consent_privacy = BooleanField(
        _l("I have read the privacy notice and agree that the clinic may store these answers "
           "to assess my request."),
        validators=[DataRequired(_l("You need to agree to the privacy notice to send a request."))],
    )
    # Honeypot: hidden from people, filled in by bots.
    website = StringField(_l("Leave this empty"))
    # One key per form page: the same form sent twice is taken in once. It travels
    # in the form, not the session, so it works wherever the form is shown.
    form_key = HiddenField()

    def __init__(self, *args: object, phone_region: str = "US", today: date, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.phone_region = phone_region
        self.today = today
        self.chosen_times: tuple[datetime, ...] = ()

    def validate_date_of_birth(self, field: DateField) -> None:
        """A real birth date: not in the future, not before 1900."""
        if field.data > self.today:
            raise ValidationError(_l("Your date of birth cannot be in the future."))
        if field.data.year < 1900:
            raise ValidationError(_l("Please check the year of your date of birth."))

    def validate_concern_details(self, field: TextAreaField) -> None:
        """"Something else" needs a word of explanation."""
        if self.concern.data == Concern.OTHER.value and not field.data:
            raise ValidationError(_l("Tell us briefly what you would like help with."))

    def validate_preferred_times(self, field: SelectMultipleField) -> None:
        """Up to three well-formed times, or none if the patient asks for a call."""
        times = chosen_times(field.data, MAX_PREFERRED_TIMES)
        if not times and not self.call_me.data:
            raise ValidationError(_l("Choose at least one time, or tick “Please call me”."))
        self.chosen_times = tuple(times)

    def validate_form_key(self, field: HiddenField) -> None:
        """Absent (an old page) or exactly what we issue; nothing else is stored."""
        if field.data and not is_form_key(field.data):
            raise ValidationError(_l("The form was damaged in transit."))

    def validate_consent_phone(self, field: BooleanField) -> None:
        """At least one way to reach the patient."""
        if not field.data and not self.consent_email.data:
            raise ValidationError(_l("Choose at least one way we may contact you."))

    def validate_consent_sms(self, field: BooleanField) -> None:
        """Texts only to a number that can receive them."""
        if field.data and not self.phone.errors and self.phone.data and not can_receive_texts(self.phone.data):
            raise ValidationError(TEXTS_REFUSED)

    def details(self, language: Language) -> RequestDetails:
        """The validated answers as the domain wants them; `language` is the one the form was read in."""
        return RequestDetails(
            full_name=self.full_name.data,
            email=self.email.data,
            phone=self.phone.data,
            date_of_birth=self.date_of_birth.data,
            concern=Concern(self.concern.data),
            concern_details=self.concern_details.data or "",
            answers={q: Answer(getattr(self, q).data) for q in SCREENING_QUESTIONS},
            medications=self.medications.data or "",
            support_person=Answer(self.support_person.data),
            consent_privacy=self.consent_privacy.data,
            consent_email=self.consent_email.data,
            consent_phone=self.consent_phone.data,
            consent_sms=self.consent_sms.data,
            call_me=self.call_me.data,
            preferred_times=self.chosen_times,
            language=language,
        )
