"""Which days of free times the request form shows at once, and where earlier and later lead."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class DateWindow:
    """`days` consecutive days from `first`; `earlier`/`later` start the windows beside it, if any."""

    first: date
    days: int
    earlier: date | None
    later: date | None

    @property
    def last(self) -> date:
        """The window's last day."""
        return self.first + timedelta(days=self.days - 1)

    def holds(self, day: date) -> bool:
        """Whether `day` is one of the window's days."""
        return self.first <= day <= self.last


def date_window(today: date, asked: date | None, days: int, horizon_days: int) -> DateWindow:
    """The window of `days` days that holds `asked` (default today).

    Windows start at today, today + days, today + 2 * days...: every address for a day in
    a window names the same window, so pages and cached lists are shared. The last window
    is the one that holds today + horizon_days, the furthest a patient may book; a day
    asked for before today or beyond that is taken as the nearest end.
    """
    if days < 1:
        raise ValueError("a window has at least one day")
    horizon = max(0, horizon_days)
    offset = min(max(((asked or today) - today).days, 0), horizon)
    first = today + timedelta(days=offset - offset % days)
    later = first + timedelta(days=days)
    return DateWindow(
        first=first,
        days=days,
        earlier=first - timedelta(days=days) if first > today else None,
        later=later if (later - today).days <= horizon else None,
    )
