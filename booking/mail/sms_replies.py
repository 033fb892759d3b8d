"""The words of the texts that answer a patient's reply, in their language (whole sentences)."""
from __future__ import annotations

from flask_babel import force_locale, gettext, ngettext

from booking.mail.outbox import MANAGE_URL_PLACEHOLDER
from booking.mail.sms_outbox import tidy_text as fit_text
from booking.models import Appointment, Clinic, Language
from booking.templating import at_clinic, clock_hour


def help_text(clinic: Clinic, language: Language) -> str:
    """HELP: who is texting and how to reach them, as carriers require."""
    with force_locale(language.value):
        return fit_text(gettext("%(clinic)s: for help call %(phone)s. Reply STOP to opt out.",
                                clinic=clinic.name, phone=clinic.phone))


def start_text(clinic: Clinic, language: Language) -> str:
    """START: texts are back on."""
    with force_locale(language.value):
        return fit_text(gettext("%(clinic)s: you will get our texts again. Reply STOP to opt out, HELP for help.",
                                clinic=clinic.name))


def confirmed_text(clinic: Clinic, appointment: Appointment, language: Language) -> str:
    """C: the visit is confirmed, fasting and driver too."""
    with force_locale(language.value):
        starts = appointment.starts_at
        return fit_text(ngettext(
            "%(clinic)s: thank you, see you on %(date)s at %(time)s.",
            "%(clinic)s: thank you, see you on %(date)s at %(time)s.",
            clock_hour(starts, clinic), clinic=clinic.name,
            date=at_clinic(starts, clinic, "short_date"), time=at_clinic(starts, clinic, "time"),
        ))


def reschedule_text(clinic: Clinic, language: Language) -> str:
    """R: the link to ask for another time (made when the text is sent)."""
    with force_locale(language.value):
        link = f"{MANAGE_URL_PLACEHOLDER}/reschedule?lang={language.value}"
        return fit_text(gettext("%(clinic)s: to ask for another time, open %(link)s", clinic=clinic.name, link=link))
