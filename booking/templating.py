"""Jinja filters that show instants in a clinic's own timezone and locale (Babel).

Pages and emails use one filter, `at_clinic`, given the clinic: `{{ appt.starts_at|at_clinic(clinic, 'time') }}`;
an email is rendered under `force_locale`, so its dates follow the patient's language too.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import phonenumbers
from babel.dates import format_date, format_skeleton, get_day_names
from babel.dates import format_time as babel_time
from flask import Flask
from flask_babel import gettext

from booking.domain.languages import formatting_locale
from booking.i18n import current_language

if TYPE_CHECKING:
    from booking.models import Clinic

DEFAULT_LOCALE = "en_US"


def in_zone(moment: datetime, tz: str) -> datetime:
    """`moment` converted to the IANA zone `tz`."""
    return moment.astimezone(ZoneInfo(tz))


def _plain(text: str) -> str:
    # CLDR puts narrow no-break spaces before AM/PM; plain spaces read the same
    # everywhere, including plain-text email.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def format_time(moment: datetime, tz: str, locale: str = DEFAULT_LOCALE) -> str:
    """Local clock time, e.g. "9:30 AM" (en_US) or "09:30" (en_GB)."""
    local = in_zone(moment, tz)
    return _clock_time(local.hour, local.minute, locale)


def format_day(day: date | datetime, tz: str | None = None, locale: str = DEFAULT_LOCALE) -> str:
    """A weekday and date, e.g. "Tuesday, March 3, 2026" (en_US), "Tuesday 3 March 2026" (en_GB)."""
    if isinstance(day, datetime):
        day = in_zone(day, tz).date() if tz else day.date()
    return _date_in(day, "full", locale)


def format_times(moments: Iterable[datetime], tz: str, locale: str = DEFAULT_LOCALE) -> str:
    """Instants as a sentence's list, e.g. "Tuesday, March 3, 2026 at 9:30 AM, Wednesday, ...".

    The joining word is in the language being rendered, so pass the reader's
    locale too (`clinic_locale(clinic)`): "martes, 3 de marzo de 2026 a las 9:30 a. m.".
    """
    return ", ".join(
        gettext("%(day)s at %(time)s", day=format_day(m, tz, locale), time=format_time(m, tz, locale))
        for m in moments
    )


def format_short_day(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """Compact date for a date strip, e.g. "Tue, Mar 3" (en_US), "mar, 3 de mar" (es_US)."""
    # A skeleton, not a pattern: each locale orders weekday, day and month its own way.
    return _skeleton_date(day, "MMMEd", locale)


def weekday_name(weekday: int, clinic: Clinic) -> str:
    """The name of a weekday (0 is Monday) in the reader's language, capitalised to head a line."""
    name: str = get_day_names("wide", context="stand-alone", locale=clinic_locale(clinic))[weekday]
    return name[:1].upper() + name[1:]


# Babel resolves the locale's patterns on every call; pages list the same few
# clock times and dates many times over, so the formatted strings are kept.
@lru_cache(maxsize=4096)
def _clock_time(hour: int, minute: int, locale: str) -> str:
    return _plain(babel_time(time(hour, minute), format="short", locale=locale))


@lru_cache(maxsize=4096)
def _date_in(day: date, pattern: str, locale: str) -> str:
    return _plain(format_date(day, format=pattern, locale=locale))


@lru_cache(maxsize=4096)
def _skeleton_date(day: date, skeleton: str, locale: str) -> str:
    return _plain(format_skeleton(skeleton, day, locale=locale))


def clinic_locale(clinic: Clinic) -> str:
    """The Babel locale for `clinic`'s dates and times in the language being rendered
    (a page's, or a message's under `force_locale`): en_US + Spanish gives es_US."""
    return formatting_locale(clinic.locale, current_language())


def at_clinic(value: datetime | date, clinic: Clinic, part: str) -> str:
    """An instant (or a date) as `clinic` shows it, in its zone and locale, in the reader's language.

    `part` is "time" ("9:30 AM"), "date" ("Tuesday, March 3, 2026"), "short_date"
    ("Tue, Mar 3") or "stamp" ("2026-03-03 09:30"). A date is shown as it is.
    """
    locale = clinic_locale(clinic)
    local = value.astimezone(clinic.zone) if isinstance(value, datetime) else None
    if part == "time" and local is not None:
        return _clock_time(local.hour, local.minute, locale)
    if part == "stamp" and local is not None:
        return local.strftime("%Y-%m-%d %H:%M")
    day = local.date() if local is not None else value
    if part == "date":
        return _date_in(day, "full", locale)
    if part == "short_date":
        return format_short_day(day, locale)
    raise ValueError(f"at_clinic cannot show {part!r} of {value!r}")


_NUMBER = re.compile(r"\d+")


def clock_hour(moment: datetime, clinic: Clinic) -> int:
    """The hour `moment` shows on `clinic`'s clock in the language being rendered: 1 for
    "1:30 PM", 13 for "13:30".

    Sentences with a clock time in them pass it to `ngettext`, because the words
    around a time can follow its hour: Spanish says "a la 1:30" but "a las 2:30".
    """
    # The first number of a short time is its hour, wherever a locale puts AM/PM.
    shown = _NUMBER.search(at_clinic(moment, clinic, "time"))
    return int(shown.group()) if shown else moment.astimezone(clinic.zone).hour


def phone(value: str, clinic: Clinic) -> str:
    """An E.164 number as people write it: national format in the clinic's region, international otherwise."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, clinic.phone_region)
    except phonenumbers.NumberParseException:
        return value
    local = phonenumbers.region_code_for_number(number) == clinic.phone_region
    style = phonenumbers.PhoneNumberFormat.NATIONAL if local else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def init_template_filters(app: Flask) -> None:
    """Make the filters available to templates."""
    app.add_template_filter(phone, "phone")
    app.add_template_filter(clock_hour, "clock_hour")
    app.add_template_filter(at_clinic, "at_clinic")
    app.jinja_env.globals["weekday_name"] = weekday_name
