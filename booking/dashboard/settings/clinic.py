"""Clinic settings a patient notices: may they rebook themselves, how dates read, how phones are read."""
from __future__ import annotations

from functools import cache

import phonenumbers
from babel import Locale
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, SelectField
from wtforms.validators import InputRequired

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires
from booking.dashboard.settings.views import INVALID, back_to, record_change, render_settings
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.models import AuditAction

# Locales the clinic's dates and times can be written in (the patient's language keeps its own words).
LOCALES = ("en_US", "en_CA", "en_GB", "en_IE", "en_AU", "en_NZ", "es_US", "es_MX", "es_ES", "es_PR")
_FIELDS = ("patients_can_rebook", "locale", "phone_region")


@cache
def region_choices() -> list[tuple[str, str]]:
    """Every region phone numbers can be read in, by name ("United States (US)")."""
    names = Locale("en").territories
    return sorted(((code, f"{names.get(code, code)} ({code})") for code in phonenumbers.SUPPORTED_REGIONS),
                  key=lambda choice: choice[1])


def locale_choices() -> list[tuple[str, str]]:
    """The locales, named in English ("English (United Kingdom)")."""
    return [(code, Locale.parse(code).get_display_name("en") or code) for code in LOCALES]


class ClinicSettingsForm(FlaskForm):
    """Self-rebooking, the date locale and the phone region."""

    patients_can_rebook = BooleanField("Patients may move their own appointment to a free time")
    locale = SelectField("Dates and times written as in", validators=[InputRequired()])
    phone_region = SelectField("Phone numbers without a country code are read as from",
                               validators=[InputRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = locale_choices()
        self.phone_region.choices = region_choices()


@bp.get("/settings/clinic")
@requires(Permission.MANAGE_SETTINGS)
def settings_clinic() -> tuple[str, int]:
    """The form, filled with the clinic's current settings."""
    return render_settings("clinic.html", form=ClinicSettingsForm(obj=current_clinic()))


@bp.post("/settings/clinic")
@requires(Permission.MANAGE_SETTINGS)
def settings_clinic_save() -> Response | tuple[str, int]:
    """Save them (audited with the old and new values)."""
    clinic = current_clinic()
    form = ClinicSettingsForm()
    if not form.validate_on_submit():
        return render_settings("clinic.html", INVALID, form=form)
    new = {name: getattr(form, name).data for name in _FIELDS}
    changes = {name: [getattr(clinic, name), value] for name, value in new.items() if getattr(clinic, name) != value}
    if not changes:
        return back_to("settings_clinic", "Nothing to save: these settings are unchanged.")
    for name, (_, value) in changes.items():
        setattr(clinic, name, value)
    record_change(AuditAction.SETTINGS_CLINIC_CHANGED, changes=changes)
    db.session.commit()
    return back_to("settings_clinic", "Clinic settings saved.")
