"""The clinics of a generated data set: calendars, chairs, services, staff.

Clinic 1 is the *busy clinic* every web scenario asks about: 6 infusion chairs
and 2 consult rooms, the same at every scale. The other clinics are smaller
(4 chairs, 1 consult room) and there are as many as the scale needs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from werkzeug.security import generate_password_hash

from bench.config import STAFF_EMAIL, STAFF_PASSWORD
from bench.rows import TableRows
from booking.demo import CONSULT_INSTRUCTIONS, INFUSION_INSTRUCTIONS, SERVICES

BUSY_SLUG = "bench-busy"
AVAILABILITY_SERVICE = "initial-consultation"
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London"]
BUSY_HOURS = {d: [(8 * 60, 12 * 60), (13 * 60, 18 * 60)] for d in range(5)} | {5: [(9 * 60, 13 * 60)]}
SMALL_HOURS = {d: [(9 * 60, 17 * 60)] for d in range(5)}


@dataclass
class ClinicPlan:
    """What the history generator needs to know about one clinic."""

    id: int
    slug: str
    zone: str
    hours: dict[int, list[tuple[int, int]]]  # weekday -> [(opens, closes)] in local minutes
    chair_ids: list[int] = field(default_factory=list)
    room_ids: list[int] = field(default_factory=list)
    # slug -> (service id, duration minutes, recovery minutes)
    services: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    closed_days: set[date] = field(default_factory=set)


@dataclass
class ClinicSet:
    """The clinics' own rows, and their plans for generating history."""

    plans: list[ClinicPlan]
    tables: list[TableRows]
    staff_id: int


def _enum_values(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: getattr(v, "value", v) for k, v in spec.items()}


def _closed_days(first: date, last: date) -> set[date]:
    """Christmas and New Year's Day in every year of the span."""
    days = set()
    for year in range(first.year, last.year + 2):
        days.update({date(year, 12, 25), date(year, 1, 1)})
    return {d for d in days if first <= d <= last}


def build_clinics(count: int, first: date, last: date) -> ClinicSet:
    """`count` clinics (the busy one first) with everything but their history."""
    clinics = TableRows("clinic", ("id", "slug", "name", "timezone", "address", "phone", "email", "phone_region",
                                   "intro", "slot_step_minutes", "min_notice_minutes", "horizon_days",
                                   "instant_booking", "booking_counter"))
    services = TableRows("service", ("id", "clinic_id", "slug", "name", "description", "kind", "mode",
                                     "duration_minutes", "recovery_minutes", "needs_chair", "public", "active",
                                     "sort_order"))
    chairs = TableRows("chair", ("id", "clinic_id", "name", "kind", "active"))
    hours = TableRows("opening_hours", ("id", "clinic_id", "weekday", "opens", "closes"))
    closures = TableRows("closure", ("id", "clinic_id", "start_date", "end_date", "reason"))
    instructions = TableRows("previsit_instructions", ("id", "clinic_id", "service_id", "fasting_hours",
                                                        "clear_liquids_hours", "medication_review",
                                                        "driver_required", "support_person_text", "other"))
    plans = []
    closed = _closed_days(first, last)
    for n in range(1, count + 1):
        busy = n == 1
        plan = ClinicPlan(
            id=n,
            slug=BUSY_SLUG if busy else f"bench-clinic-{n:04d}",
            zone="America/Chicago" if busy else ZONES[n % len(ZONES)],
            hours=BUSY_HOURS if busy else SMALL_HOURS,
            closed_days=closed,
        )
        clinics.add(n, plan.slug, "Busy Lakeside Infusion" if busy else f"Bench Clinic {n}", plan.zone,
                    f"{n} Bench St, Springfield", "+1 312-555-0100", f"desk@{plan.slug}.example", "US",
                    "A generated clinic for benchmarks.", 30, 12 * 60, 60, False, 0)
        for i, spec in enumerate(SERVICES):
            spec = _enum_values(spec)
            service_id = len(services.rows) + 1
            services.add(service_id, n, spec["slug"], spec["name"], spec["description"], spec["kind"],
                         spec.get("mode", "in_person"), spec["duration_minutes"], spec["recovery_minutes"],
                         spec["needs_chair"], spec.get("public", False), True, i)
            plan.services[spec["slug"]] = (service_id, spec["duration_minutes"], spec["recovery_minutes"])
        for i in range(6 if busy else 4):
            chairs.add(len(chairs.rows) + 1, n, f"Chair {i + 1}", "infusion", True)
            plan.chair_ids.append(len(chairs.rows))
        for i in range(2 if busy else 1):
            chairs.add(len(chairs.rows) + 1, n, f"Consult room {i + 1}", "consult", True)
            plan.room_ids.append(len(chairs.rows))
        for weekday, ranges in plan.hours.items():
            for opens, closes in ranges:
                hours.add(len(hours.rows) + 1, n, weekday, time(opens // 60, opens % 60),
                          time(closes // 60, closes % 60))
        for day in sorted(closed):
            closures.add(len(closures.rows) + 1, n, day, day, "Holiday")
        _add_instructions(instructions, n, plan)
        plans.append(plan)
    staff, memberships = _staff()
    return ClinicSet(plans, [clinics, services, chairs, hours, closures, instructions, staff, memberships], 1)


def _add_instructions(table: TableRows, clinic_id: int, plan: ClinicPlan) -> None:
    """The clinic default (infusions) and the consultations' own instructions."""
    def add(service_id: int | None, spec: dict[str, Any]) -> None:
        table.add(len(table.rows) + 1, clinic_id, service_id, spec["fasting_hours"], spec["clear_liquids_hours"],
                  spec["medication_review"], spec["driver_required"], spec["support_person_text"], spec["other"])

    add(None, INFUSION_INSTRUCTIONS)
    for slug in ("initial-consultation", "video-consultation"):
        add(plan.services[slug][0], CONSULT_INSTRUCTIONS)


def _staff() -> tuple[TableRows, TableRows]:
    """The bench's front-desk account, a member of the busy clinic."""
    staff = TableRows("staff_user", ("id", "email", "full_name", "password_hash", "session_version", "active"))
    staff.add(1, STAFF_EMAIL, "Bench Front Desk", generate_password_hash(STAFF_PASSWORD), 1, True)
    memberships = TableRows("membership", ("id", "staff_id", "clinic_id", "role"))
    memberships.add(1, 1, 1, "front_desk")
    return staff, memberships
