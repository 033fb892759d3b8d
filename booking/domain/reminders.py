"""When each reminder for an appointment is due (pure)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from booking.domain.availability import local_instant
from booking.models.outbox import MessageKind

# The evening reminder goes out at this local time the day before the fasting cutoff.
EVENING = time(18, 0)
# A reminder may still go out this long after its moment (a worker restart, a
# booking made just after it); later than that it is skipped, never sent late.
LATE_GRACE = timedelta(minutes=30)


@dataclass(frozen=True)
class ReminderSchedule:
    """A clinic's reminder settings; None or False turns one off."""

    days_before: int | None = 3
    evening_before: bool = True
    hours_before: int | None = 2


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder and the instant (UTC) it is due; `skip` if its moment has passed.

    `visit_in_days` counts calendar days in the clinic's zone from the reminder's
    moment to the visit's: 0 the same day, 1 the next ("tomorrow"), and so on.
    """

    kind: MessageKind
    due_at: datetime
    skip: bool
    visit_in_days: int


def days_between(earlier: datetime, later: datetime, zone: ZoneInfo) -> int:
    """Calendar days in `zone` from the local date of `earlier` to that of `later`."""
    return (later.astimezone(zone).date() - earlier.astimezone(zone).date()).days


def _at_local(day_time: datetime, zone: ZoneInfo) -> datetime:
    found = local_instant(day_time.date(), day_time.time(), zone)
    if found is None:  # a wall time the clocks skip: use the moment they jump to
        found = datetime.combine(day_time.date(), day_time.time(), tzinfo=zone).replace(fold=1)
    return found.astimezone(timezone.utc)


def plan_reminders(
    start: datetime, zone: ZoneInfo, schedule: ReminderSchedule, fasting_hours: int | None, now: datetime
) -> list[PlannedReminder]:
    """The reminders for an appointment starting at `start`, in time order.

    - prep: `days_before` days earlier at the same local clock time (with the checklist);
    - evening: 18:00 local on the day before the fasting cutoff (or the visit, without fasting),
      so with a long fast two or more evenings before the visit;
    - final: `hours_before` real hours before the start.
    Reminders at or after the start are dropped; ones more than LATE_GRACE in the
    past are marked skip.
    """
    utc_start = start.astimezone(timezone.utc)
    local_start = utc_start.astimezone(zone)
    planned: list[tuple[MessageKind, datetime]] = []
    if schedule.days_before:
        prep_day = local_start.replace(tzinfo=None) - timedelta(days=schedule.days_before)
        planned.append((MessageKind.REMINDER_PREP, _at_local(prep_day, zone)))
    if schedule.evening_before:
        cutoff = utc_start - timedelta(hours=fasting_hours or 0)
        eve = datetime.combine(cutoff.astimezone(zone).date() - timedelta(days=1), EVENING)
        planned.append((MessageKind.REMINDER_EVENING, _at_local(eve, zone)))
    if schedule.hours_before:
        planned.append((MessageKind.REMINDER_FINAL, utc_start - timedelta(hours=schedule.hours_before)))
    now = now.astimezone(timezone.utc)
    return sorted(
        (
            PlannedReminder(kind, due, due < now - LATE_GRACE, days_between(due, utc_start, zone))
            for kind, due in planned
            if due < utc_start
        ),
        key=lambda r: r.due_at,
    )
