"""The shared form validators: plain text, names, email addresses, phone numbers, chosen times."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField, TextAreaField, ValidationError

from booking.validators import (
    PlainText,
    chosen_times,
    email_field,
    has_control_chars,
    name_field,
    phone_field,
    strip,
)

UTC = timezone.utc


class PersonForm(Form):
    """A form built from the shared fields, as the app's forms are."""

    full_name = name_field("Full name", "Enter your name.")
    phone = phone_field("Phone", "Enter a phone number.")
    email = email_field("Email", "Enter an email address.")
    other_email = email_field("Other email")
    note = TextAreaField("Note", validators=[PlainText(multiline=True)])
    title = StringField("Title", validators=[PlainText()])


VALID = {"full_name": "Robin Smith", "phone": "(312) 555-0142", "email": "robin@example.com"}


def submit(region: str | None = None, **fields: str) -> PersonForm:
    form = PersonForm(MultiDict({**VALID, **fields}))
    if region is not None:
        form.phone_region = region  # type: ignore[attr-defined]
    form.validate()
    return form


@pytest.mark.parametrize(
    ("value", "multiline", "found"),
    [
        ("Robin Smith", False, False),
        ("Zoë O'Brien-Łukasz 李", False, False),
        ("smile 🙂", False, False),
        ("Ro\x00bin", False, True),
        ("Ro\x07bin", True, True),  # BEL, even in a text area
        ("Ro\x7fbin", False, True),  # DEL
        ("Ro\x85bin", True, True),  # NEL: a C1 control
        ("line one\nline two", False, True),
        ("line one\r\nline two\tand a tab", True, False),
        ("tab\there", False, True),
        ("evil\u202egnp.exe", True, True),  # right-to-left override
        ("\u2066isolated\u2069", True, True),
        ("\u200bzero width", False, False),  # a format character, not a control: allowed
        ("lone \ud800 surrogate", True, True),
    ],
)
def test_control_characters(value: str, multiline: bool, found: bool) -> None:
    assert has_control_chars(value, multiline=multiline) is found


def test_strip_trims_strings_and_passes_anything_else() -> None:
    assert strip("  Robin \n") == "Robin"
    assert strip(None) is None
    assert strip(5) == 5  # type: ignore[arg-type]


def test_a_valid_person() -> None:
    form = submit(full_name="  Robin Smith  ", phone=" 312.555.0142 ", email=" Robin@Example.COM ")
    assert form.errors == {}
    assert form.full_name.data == "Robin Smith"
    assert form.phone.data == "+13125550142"  # E.164
    assert form.email.data == "Robin@example.com"  # the domain lower-cased, the mailbox kept


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "Enter your name."),
        ("   ", "Enter your name."),
        ("R", "The name should be 2 to 120 characters."),
        ("R" * 121, "The name should be 2 to 120 characters."),
        ("Rob\x00in", "Please remove the special or invisible characters."),
        ("Rob\u202ein", "Please remove the special or invisible characters."),
    ],
)
def test_names(name: str, error: str) -> None:
    assert submit(full_name=name).errors == {"full_name": [error]}


def test_names_at_the_limits() -> None:
    assert submit(full_name="Al").errors == {}
    assert submit(full_name="R" * 120).errors == {}


@pytest.mark.parametrize(
    ("phone", "region", "stored"),
    [
        ("(312) 555-0142", None, "+13125550142"),  # a form without a region reads US numbers
        ("312-555-0142", "US", "+13125550142"),
        ("+44 20 7946 0018", "US", "+442079460018"),  # international format, any region
        ("020 7946 0018", "GB", "+442079460018"),  # a local number in the form's region
    ],
)
def test_phone_numbers_are_stored_in_e164(phone: str, region: str | None, stored: str) -> None:
    form = submit(region, phone=phone)
    assert form.errors == {}
    assert form.phone.data == stored


@pytest.mark.parametrize(
    ("phone", "error"),
    [
        ("", "Enter a phone number."),
        ("call me", "Enter a phone number we can call, e.g. (312) 555-0142."),
        ("12345", "That phone number does not look valid. Please check it."),
        ("1" * 33, "Field cannot be longer than 32 characters."),
        ("312\x00555\x000142", "Please remove the special or invisible characters."),
    ],
)
def test_phone_numbers_refused(phone: str, error: str) -> None:
    assert submit(phone=phone).errors["phone"][0] == error
    assert set(submit(phone=phone).errors) == {"phone"}


def test_a_local_number_is_read_in_the_form_s_region() -> None:
    # A UK local number is no US number.
    assert submit("US", phone="020 7946 0018").errors == {
        "phone": ["That phone number does not look valid. Please check it."]
    }


@pytest.mark.parametrize("email", ["not-an-email", "robin@", "@example.com", "robin@@example.com", "ro bin@example.com"])
def test_email_addresses_refused(email: str) -> None:
    errors = submit(email=email).errors
    assert list(errors) == ["email"] and len(errors["email"]) == 1
    assert errors["email"][0].startswith("Enter a valid email address (")


def test_email_required_or_optional() -> None:
    assert submit(email="").errors == {"email": ["Enter an email address."]}
    optional = submit(other_email="")
    assert optional.errors == {} and optional.other_email.data == ""
    assert submit(other_email="b@EXAMPLE.org").other_email.data == "b@example.org"


def test_email_length() -> None:
    longest = "a" * 64 + "@" + ".".join(["b" * 61] * 3) + ".com"
    assert len(longest) == 254 and submit(email=longest).errors == {}
    too_long = "a" * 64 + "@" + ".".join(["b" * 62] * 3) + ".com"
    assert len(too_long) == 257
    assert "Field cannot be longer than 254 characters." in submit(email=too_long).errors["email"]


def test_plain_text_multiline_or_not() -> None:
    assert submit(note="first line\nsecond line", title="One line").errors == {}
    assert submit(title="two\nlines").errors == {"title": ["Please remove the special or invisible characters."]}
    assert submit(note="bell\x07").errors == {"note": ["Please remove the special or invisible characters."]}


def test_plain_text_ignores_a_missing_value() -> None:
    class Bare(Form):
        title = StringField("Title", validators=[PlainText()])

    form = Bare()
    assert form.title.data is None
    assert form.validate() is True


class TestChosenTimes:
    def test_nothing_chosen(self) -> None:
        assert chosen_times(None, 3) == []
        assert chosen_times([], 3) == []
        assert chosen_times(["", ""], 3) == []

    def test_times_with_offsets_become_utc_in_the_order_chosen(self) -> None:
        times = chosen_times(["2026-06-04T08:00:00-05:00", "2026-06-03T09:30:00+01:00", "2026-06-05T12:00:00Z"], 3)
        assert times == [
            datetime(2026, 6, 4, 13, tzinfo=UTC),
            datetime(2026, 6, 3, 8, 30, tzinfo=UTC),
            datetime(2026, 6, 5, 12, tzinfo=UTC),
        ]
        assert all(t.tzinfo is UTC for t in times)

    def test_repeats_count_once(self) -> None:
        value = "2026-06-04T08:00:00-05:00"
        assert chosen_times([value, "", value, value], 1) == [datetime(2026, 6, 4, 13, tzinfo=UTC)]

    def test_at_most(self) -> None:
        four = [f"2026-06-04T0{h}:00:00-05:00" for h in range(6, 10)]
        assert len(chosen_times(four[:3], 3)) == 3
        with pytest.raises(ValidationError, match=r"^Choose at most 3 times\.$"):
            chosen_times(four, 3)

    @pytest.mark.parametrize("value", ["2026-06-04T08:00:00", "tomorrow at 8", "2026-13-04T08:00:00Z", "2026-06-04"])
    def test_a_time_without_an_offset_or_not_a_time_is_not_understood(self, value: Any) -> None:
        with pytest.raises(ValidationError, match=r"^One of the chosen times was not understood\.$"):
            chosen_times(["2026-06-04T08:00:00-05:00", value], 3)
