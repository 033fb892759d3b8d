"""iCalendar invitations for appointments (icalendar library), in the language being rendered.

Each file is an iTIP message (RFC 5546): METHOD REQUEST or CANCEL, the clinic as ORGANIZER,
the patient as ATTENDEE, times in the clinic's zone with its VTIMEZONE, and a stable UID whose
SEQUENCE grows with every change, so calendar apps update or remove the same event.
Only the neutral label, the clinic, its address and phone, and times: nothing clinical.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import gettext, ngettext
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from booking.i18n import current_language
from booking.mail.labels import service_label
from booking.models import Appointment, Clinic, Service
from booking.templating import at_clinic, clock_hour

PRODID = "-//Clinic bookings//EN"
# The VTIMEZONE covers the year around the visit: every offset its times can have.
_ZONE_SPAN = timedelta(days=366)


def appointment_uid(appointment: Appointment, domain: str) -> str:
    """Stable across every change of the appointment, so calendars update in place."""
    return f"appointment-{appointment.id}@{domain}"


@lru_cache(maxsize=64)
def _vtimezone(zone: str, year: int) -> bytes:
    # Building one walks the zone's transitions: kept per zone and year.
    start = datetime(year, 1, 1)
    return Timezone.from_tzinfo(ZoneInfo(zone), first_date=(start - _ZONE_SPAN).date(),
                                last_date=(start + 2 * _ZONE_SPAN).date()).to_ical()


def _header_safe(value: str) -> str:
    # Parameter values (CN) are quoted by icalendar; a quote, CR or LF must not end or split them.
    return " ".join("".join(c if c.isprintable() and c != '"' else " " for c in value).split())


def _description(clinic: Clinic, appointment: Appointment) -> str:
    """When the visit ends and, after recovery, when the patient may leave; whom to call."""
    lines = []
    ends, leaves = appointment.ends_at, appointment.blocked_until
    if leaves > ends:
        lines.append(ngettext("The visit itself ends at %(time)s, then comes the recovery time.",
                              "The visit itself ends at %(time)s, then comes the recovery time.",
                              clock_hour(ends, clinic), time=at_clinic(ends, clinic, "time")))
        lines.append(ngettext("You can leave at about %(time)s.", "You can leave at about %(time)s.",
                              clock_hour(leaves, clinic), time=at_clinic(leaves, clinic, "time")))
    lines.append(gettext("Questions or changes: %(phone)s", phone=clinic.phone))
    return "\n".join(lines)


def appointment_ics(
    clinic: Clinic, appointment: Appointment, service: Service, *, attendee: tuple[str, str], method: str,
    domain: str, now: datetime,
) -> str:
    """A METHOD:REQUEST (booked or moved) or METHOD:CANCEL calendar for `attendee` (name, email).

    Times are in the clinic's zone (TZID, with its VTIMEZONE). Its words follow the language
    being rendered: an email's under `force_locale`, a page's otherwise.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError("method must be REQUEST or CANCEL")
    zone = clinic.zone
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(Timezone.from_ical(_vtimezone(clinic.timezone, appointment.starts_at.astimezone(zone).year)))
    event = Event()
    event.add("uid", appointment_uid(appointment, domain))
    event.add("sequence", appointment.version)
    event.add("dtstamp", now)
    event.add("dtstart", appointment.starts_at.astimezone(zone))
    # The calendar keeps the time until the patient may leave: service plus recovery.
    event.add("dtend", appointment.blocked_until.astimezone(zone))
    # LANGUAGE tells calendar apps (and screen readers) which language the words are in.
    words = {"language": current_language().value}
    event.add("summary", gettext("%(label)s at %(clinic)s", label=service_label(service), clinic=clinic.name),
              parameters=words)
    event.add("location", vText(clinic.address))
    event.add("description", _description(clinic, appointment), parameters=words)
    organizer = vCalAddress(f"mailto:{clinic.email}")
    organizer.params["cn"] = vText(_header_safe(clinic.name))
    event.add("organizer", organizer)
    name, email = attendee
    guest = vCalAddress(f"mailto:{email}")
    guest.params["cn"] = vText(_header_safe(name))
    guest.params["role"] = "REQ-PARTICIPANT"
    if method == "REQUEST":
        guest.params["partstat"] = "NEEDS-ACTION"
        guest.params["rsvp"] = "FALSE"
    event.add("attendee", guest)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()
