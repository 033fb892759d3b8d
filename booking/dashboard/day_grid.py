"""Lay out a day's appointments as a table: a column per chair, a row per time unit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from math import gcd
from zoneinfo import ZoneInfo

from booking.domain.availability import local_instant
from booking.models import Chair, OpeningHours
from booking.queries.schedule import Entry


@dataclass
class Cell:
    """What one table cell shows; rows covered by a cell above are `skip`."""

    kind: str  # "free", "appt", "recovery", "skip"
    rowspan: int = 1
    entry: Entry | None = None


@dataclass
class Grid:
    """Rows of times, each with one cell per chair."""

    chairs: list[Chair]
    rows: list[tuple[datetime, list[Cell]]] = field(default_factory=list)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def build_grid(
    day: date, zone: ZoneInfo, hours: list[OpeningHours], chairs: list[Chair], entries: list[Entry]
) -> Grid:
    """The table for `day`: from opening (or the first appointment) to closing (or the last)."""
    opens = [local_instant(day, h.opens, zone) for h in hours if h.weekday == day.weekday()]
    closes = [local_instant(day, h.closes, zone) for h in hours if h.weekday == day.weekday()]
    starts = [o for o in opens if o] + [e.appointment.starts_at for e in entries]
    ends = [c for c in closes if c] + [e.appointment.blocked_until for e in entries]
    if not starts:
        eight = local_instant(day, time(8), zone)
        assert eight is not None
        starts, ends = [eight], [eight + timedelta(hours=10)]
    # Rows are counted and placed in real (UTC) time: datetimes that share a local
    # zone subtract and add on the wall clock, which is wrong on the days it changes.
    top = min(starts).astimezone(zone).replace(minute=0, second=0, microsecond=0).astimezone(timezone.utc)
    bottom = max(ends).astimezone(timezone.utc)
    unit = 30
    for e in entries:
        a = e.appointment
        for span in (a.starts_at - top, a.ends_at - a.starts_at, a.blocked_until - a.ends_at):
            if _minutes(span):
                unit = gcd(unit, _minutes(span))
    unit = max(unit, 5)
    count = -(-_minutes(bottom - top) // unit)
    cells = {c.id: [Cell("free") for _ in range(count)] for c in chairs}
    for e in entries:
        column = cells.get(e.chair.id)
        if column is None:
            continue
        a = e.appointment
        first = _minutes(a.starts_at - top) // unit
        service_rows = max(1, _minutes(a.ends_at - a.starts_at) // unit)
        recovery_rows = _minutes(a.blocked_until - a.ends_at) // unit
        _place(column, first, service_rows, Cell("appt", service_rows, e))
        if recovery_rows:
            _place(column, first + service_rows, recovery_rows, Cell("recovery", recovery_rows, e))
    grid = Grid(chairs)
    for i in range(count):
        moment = (top + timedelta(minutes=i * unit)).astimezone(zone)
        grid.rows.append((moment, [cells[c.id][i] for c in chairs]))
    return grid


def _place(column: list[Cell], first: int, rows: int, cell: Cell) -> None:
    rows = min(rows, len(column) - first)
    if first < 0 or rows <= 0:
        return
    if any(c.kind != "free" for c in column[first : first + rows]):
        return  # e.g. a no-show under a later booking: the arrivals list still shows it
    cell.rowspan = rows
    column[first] = cell
    for i in range(first + 1, first + rows):
        column[i] = Cell("skip")


def mark_freed(grid: Grid, cancelled: list[Entry]) -> None:
    """Show each cancelled visit's block as "freed", where nothing was booked into it since."""
    columns = {chair.id: i for i, chair in enumerate(grid.chairs)}
    for entry in cancelled:
        column = columns.get(entry.chair.id)
        a = entry.appointment
        if column is None:
            continue
        rows = [i for i, (moment, _) in enumerate(grid.rows) if a.starts_at <= moment < a.blocked_until]
        run: list[int] = []
        for i in rows:
            if grid.rows[i][1][column].kind != "free":
                break
            run.append(i)
        if not run:
            continue  # its start was booked again: nothing to fill
        grid.rows[run[0]][1][column] = Cell("freed", len(run), entry)
        for i in run[1:]:
            grid.rows[i][1][column] = Cell("skip")
