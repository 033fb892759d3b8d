"""Free times for staff to pick from, and how to explain a refused time."""
from __future__ import annotations

from datetime import date

from booking.domain.availability import Slot
from booking.models import Appointment, Clinic, Service, utcnow
from booking.operations.booking import SlotTaken
from booking.queries.availability import find_slots
from booking.templating import format_day, format_time


def day_slots(clinic: Clinic, service: Service, day: date, ignore_id: int | None = None) -> list[Slot]:
    """Free start times on one local day, by staff rules (no notice, long horizon)."""
    return find_slots(clinic, service, day, 1, utcnow(), staff=True, ignore_id=ignore_id)


def moves_from(appointment: Appointment, slots: list[Slot]) -> list[Slot]:
    """Free times to move a visit to: never the time it already has."""
    return [s for s in slots if s.start != appointment.starts_at]


def slot_taken_message(error: SlotTaken) -> str:
    """"That time was just taken, here are the nearest free times"."""
    if not error.nearest:
        return f"{error} There are no free times nearby; pick another day."
    zone = error.nearest[0].start.tzinfo
    tz = getattr(zone, "key", "UTC")
    times = ", ".join(f"{format_day(s.start, tz)} {format_time(s.start, tz)}" for s in error.nearest)
    return f"{error} Nearest free times: {times}."
