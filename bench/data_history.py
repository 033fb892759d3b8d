"""Two years of appointments for the generated clinics, without overlaps.

Each chair (or consult room) is filled day by day, left to right on the
clinic's 30-minute grid: a start is taken with probability `fill`, and the next
start comes after the whole block (service plus recovery), so no two
appointments on one chair ever overlap. Whole local days are converted with
the day's noon UTC offset (changes happen at night, when clinics are closed).

The busy clinic's days from 30 days ago to 60 days ahead are always filled the
same way, at every scale, so the scenarios see the same busy calendar whether
the database holds ten thousand appointments or a million.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bench.data_clinics import ClinicPlan

UTC = timezone.utc
GRID = 30  # minutes
SPAN_PAST_DAYS = 640
SPAN_FUTURE_DAYS = 90
DENSE_PAST_DAYS = 30
DENSE_FUTURE_DAYS = 60
DENSE_FILL = 0.5
CHAIR_MIX = [("infusion-mood", 0.55), ("booster", 0.25), ("infusion-pain", 0.20)]
ROOM_MIX = [("initial-consultation", 0.7), ("video-consultation", 0.3)]


class Slotting(NamedTuple):
    """An appointment's place: clinic, service, chair and its three instants."""

    clinic_id: int
    service_id: int
    chair_id: int
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime
    dense: bool


def span(today: date) -> tuple[date, date]:
    """First and last date of the generated history (two years)."""
    return today - timedelta(days=SPAN_PAST_DAYS), today + timedelta(days=SPAN_FUTURE_DAYS - 1)


def dense_window(today: date) -> tuple[date, date]:
    """The busy clinic's always-full days."""
    return today - timedelta(days=DENSE_PAST_DAYS), today + timedelta(days=DENSE_FUTURE_DAYS)


def _pick(mix: list[tuple[str, float]], r: float) -> str:
    for slug, weight in mix:
        if r < weight:
            return slug
        r -= weight
    return mix[-1][0]


def _fill_lane(plan: ClinicPlan, chair: int, mix: list[tuple[str, float]], midnight: datetime,
               ranges: list[tuple[int, int]], fill: float, dense: bool, rng: random.Random,
               out: list[Slotting]) -> None:
    """Place appointments on one chair for one day (local minutes from `midnight`, UTC)."""
    for opens, closes in ranges:
        minute = opens
        while minute < closes:
            if rng.random() >= fill:
                minute += GRID
                continue
            service_id, duration, recovery = plan.services[_pick(mix, rng.random())]
            block_end = minute + duration + recovery
            if block_end > closes:
                minute += GRID
                continue
            start = midnight + timedelta(minutes=minute)
            out.append(Slotting(plan.id, service_id, chair, start, start + timedelta(minutes=duration),
                                start + timedelta(minutes=duration + recovery), dense))
            minute = -(-block_end // GRID) * GRID


def clinic_slottings(plan: ClinicPlan, today: date, fill: float, seed: int) -> list[Slotting]:
    """Candidate appointments for one clinic over the whole span, in time order per chair."""
    first, last = span(today)
    dense_first, dense_last = dense_window(today) if plan.id == 1 else (None, None)
    history_rng = random.Random(seed * 1000 + plan.id)
    # The dense window has its own seed, so it is identical at every scale.
    dense_rng = random.Random(7919)
    zone = ZoneInfo(plan.zone)
    out: list[Slotting] = []
    day = first
    while day <= last:
        ranges = plan.hours.get(day.weekday())
        if ranges and day not in plan.closed_days:
            offset = zone.utcoffset(datetime.combine(day, time(12)))
            assert offset is not None
            midnight = datetime.combine(day, time(0), tzinfo=UTC) - offset
            dense = dense_first is not None and dense_first <= day <= dense_last
            rng, lane_fill = (dense_rng, DENSE_FILL) if dense else (history_rng, fill)
            for chair in plan.chair_ids:
                _fill_lane(plan, chair, CHAIR_MIX, midnight, ranges, lane_fill, dense, rng, out)
            for room in plan.room_ids:
                _fill_lane(plan, room, ROOM_MIX, midnight, ranges, lane_fill, dense, rng, out)
        day += timedelta(days=1)
    return out


def thin_to(candidates: list[Slotting], wanted: int, seed: int) -> list[Slotting]:
    """Exactly `wanted` of the candidates: every dense one, and a random sample of the rest."""
    dense = [s for s in candidates if s.dense]
    rest = [s for s in candidates if not s.dense]
    rng = random.Random(seed)
    if wanted <= len(dense):
        return rng.sample(dense, wanted)
    if wanted - len(dense) > len(rest):
        raise ValueError(f"only {len(candidates)} candidates for {wanted} appointments")
    return dense + rng.sample(rest, wanted - len(dense))


STATUS_PAST = [("completed", 0.85), ("cancelled", 0.08), ("no_show", 0.07)]
STATUS_FUTURE = [("booked", 0.55), ("confirmed", 0.40), ("cancelled", 0.05)]


def status_for(starts_at: datetime, now: datetime, r: float) -> str:
    """A plausible status: past visits mostly completed, future ones booked or confirmed."""
    return _pick(STATUS_PAST if starts_at < now else STATUS_FUTURE, r)
