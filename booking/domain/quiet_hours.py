"""When a text may go out: never in a clinic's quiet hours, except shortly before a visit (pure)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from booking.domain.availability import jump_instant, local_instant


@dataclass(frozen=True)
class QuietHours:
    """No texts from `start` to `end` local time (spanning midnight when start > end; none when equal),
    except within `exempt_before_visit` of a visit's start."""

    start: time = time(21, 0)
    end: time = time(8, 0)
    exempt_before_visit: timedelta = timedelta(hours=3)

    def is_quiet(self, local: time) -> bool:
        """True if the local wall time `local` falls in the quiet hours."""
        if self.start == self.end:
            return False
        if self.start > self.end:
            return local >= self.start or local < self.end
        return self.start <= local < self.end


def _instant(day: datetime, at: time, zone: ZoneInfo) -> datetime:
    found = local_instant(day.date(), at, zone)
    if found is None:  # quiet hours that end in a skipped hour end when the clocks jump
        return jump_instant(day.date(), at, zone)
    return found.astimezone(timezone.utc)


def allowed_from(moment: datetime, zone: ZoneInfo, quiet: QuietHours, visit_start: datetime | None) -> datetime:
    """The first instant at or after `moment` (aware) when a text may go out, in UTC.

    Outside quiet hours that is `moment`; inside, the end of the quiet hours on the
    clinic's wall clock (DST-aware), or the start of the exempt window before the
    visit if that comes first.
    """
    moment = moment.astimezone(timezone.utc)
    exempt_from = visit_start.astimezone(timezone.utc) - quiet.exempt_before_visit if visit_start else None
    if exempt_from is not None and moment >= exempt_from:
        return moment
    local = moment.astimezone(zone)
    if not quiet.is_quiet(local.time().replace(tzinfo=None)):
        return moment
    ends_on = local if local.time() < quiet.end else local + timedelta(days=1)
    ends = _instant(ends_on.replace(tzinfo=None), quiet.end, zone)
    if exempt_from is not None and exempt_from < ends:
        return max(moment, exempt_from)
    return ends
