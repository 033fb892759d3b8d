"""iCalendar invitations for appointments (icalendar library), in the language being rendered."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext
from icalendar import Calendar, Event, vCalAddress, vText

from booking.i18n import current_language
from booking.mail.labels import service_label
from booking.models import Appointment, Clinic, Service

PRODID = "-//Clinic bookings//EN"


def appointment_uid(appointment: Appointment, domain: str) -> str:
    """Stable across every change of the appointment, so calendars update in place."""
    return f"appointment-{appointment.id}@{domain}"


def appointment_ics(
    clinic: Clinic, appointment: Appointment, service: Service, *, method: str, domain: str, now: datetime
) -> str:
    """A METHOD:REQUEST (booked or moved) or METHOD:CANCEL calendar, times in UTC.

    Its words follow the language being rendered: an email's under `force_locale`, a page's otherwise.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError("method must be REQUEST or CANCEL")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", appointment_uid(appointment, domain))
    event.add("sequence", appointment.version)
    event.add("dtstamp", now)
    event.add("dtstart", appointment.starts_at)
    # The visit lasts until the patient may leave: service plus recovery.
    event.add("dtend", appointment.blocked_until)
    # LANGUAGE tells calendar apps (and screen readers) which language the words are in.
    words = {"language": current_language().value}
    event.add("summary", gettext("%(label)s at %(clinic)s", label=service_label(service), clinic=clinic.name),
              parameters=words)
    event.add("location", vText(clinic.address))
    event.add("description", gettext("Questions or changes: %(phone)s", phone=clinic.phone), parameters=words)
    organizer = vCalAddress(f"mailto:{clinic.email}")
    organizer.params["cn"] = vText(clinic.name)
    event.add("organizer", organizer)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()
