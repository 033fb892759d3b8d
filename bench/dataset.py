"""A whole generated data set: clinics, patients, appointments, requests, outbox, audit.

`build_dataset(appointments=N)` gives exactly N appointments over two years,
spread over as many clinics as that needs (at least three), with a patient for
every four appointments, a consultation request for every five (plus the busy
clinic's 1,000 open ones), a sent email for every other past appointment and
an audit event for every four. Deterministic for a given scale and date.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bench.data_clinics import AVAILABILITY_SERVICE, BUSY_SLUG, build_clinics
from bench.data_history import Slotting, clinic_slottings, span, status_for, thin_to
from bench.rows import TableRows

UTC = timezone.utc
FILL = 0.8  # candidates per clinic; thinning then brings the total down to exactly N
HEADROOM = 1.25
OPEN_REQUESTS = 1000
FIRST = ["Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Taylor", "Jamie", "Avery", "Quinn", "Robin", "Drew"]
LAST = ["Smith", "Garcia", "Nguyen", "Okafor", "Kowalski", "Larsen", "Haddad", "Moreau", "Ivanova", "Tanaka"]


@dataclass
class Dataset:
    """Rows in load order, and facts the scenarios need."""

    tables: list[TableRows]
    meta: dict[str, Any] = field(default_factory=dict)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _clinic_count(appointments: int, today: date) -> int:
    """Enough clinics that candidates exceed the wanted count by HEADROOM."""
    probe = build_clinics(2, *span(today))
    busy = len(clinic_slottings(probe.plans[0], today, FILL, 1))
    small = len(clinic_slottings(probe.plans[1], today, FILL, 1))
    return max(3, 1 + math.ceil(max(0, appointments * HEADROOM - busy) / small))


def build_dataset(appointments: int, today: date, now: datetime, seed: int = 1) -> Dataset:
    """The full data set for `appointments` appointments, relative to `today` and `now`."""
    first, last = span(today)
    clinic_set = build_clinics(_clinic_count(appointments, today), first, last)
    candidates: list[Slotting] = []
    for plan in clinic_set.plans:
        candidates.extend(clinic_slottings(plan, today, FILL, seed))
    chosen = sorted(thin_to(candidates, appointments, seed), key=lambda s: (s.starts_at, s.chair_id))
    del candidates
    rng = random.Random(seed)
    per_clinic: dict[int, int] = {}
    for s in chosen:
        per_clinic[s.clinic_id] = per_clinic.get(s.clinic_id, 0) + 1
    patients, pools = _patients(per_clinic, first, rng)
    appointment_rows = _appointments(chosen, pools, now, rng)
    requests, preferred = _requests(clinic_set, per_clinic, pools, appointments, now, rng)
    tables = [*clinic_set.tables, patients, requests, preferred, appointment_rows,
              _outbox_history(appointment_rows, now, rng), _audit(appointment_rows, now, rng)]
    meta = {
        "appointments": appointments,
        "clinics": len(clinic_set.plans),
        "busy_clinic": BUSY_SLUG,
        "availability_service": AVAILABILITY_SERVICE,
        "busy_clinic_appointments": per_clinic.get(1, 0),
        "generated_on": today.isoformat(),
        "rows": {t.table: len(t.rows) for t in tables},
    }
    return Dataset(tables, meta)


def _patients(per_clinic: dict[int, int], first: date, rng: random.Random) -> tuple[TableRows, dict[int, list[int]]]:
    """A patient for every four appointments of each clinic (at least 20)."""
    table = TableRows("patient", ("id", "clinic_id", "full_name", "email", "phone", "date_of_birth", "created_at"))
    pools: dict[int, list[int]] = {}
    created = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    for clinic_id in sorted(per_clinic):
        ids = []
        for _ in range(max(20, per_clinic[clinic_id] // 4)):
            pid = len(table.rows) + 1
            table.add(pid, clinic_id, _name(rng), f"p{pid}@patients.bench.example", f"+1312555{pid % 10000:04d}",
                      date(1950 + pid % 50, 1 + pid % 12, 1 + pid % 28), created)
            ids.append(pid)
        pools[clinic_id] = ids
    return table, pools


def _appointments(chosen: list[Slotting], pools: dict[int, list[int]], now: datetime,
                  rng: random.Random) -> TableRows:
    table = TableRows("appointment", (
        "id", "clinic_id", "service_id", "chair_id", "patient_id", "starts_at", "ends_at", "blocked_until",
        "status", "version", "cancel_reason", "patient_confirmed_at", "driver_name", "driver_phone",
        "driver_confirmed_at", "created_at", "updated_at"))
    for i, s in enumerate(chosen, start=1):
        status = status_for(s.starts_at, now, rng.random())
        created = s.starts_at - timedelta(days=rng.randint(1, 30))
        confirmed = s.starts_at - timedelta(days=2) if status in ("confirmed", "completed", "no_show") else None
        driver = rng.random() < 0.6
        table.add(i, s.clinic_id, s.service_id, s.chair_id, rng.choice(pools[s.clinic_id]), s.starts_at, s.ends_at,
                  s.blocked_until, status, 1, "Patient asked to cancel" if status == "cancelled" else "",
                  confirmed, "Pat Driver" if driver else "", "+13125550199" if driver else "",
                  confirmed if driver else None, created, created)
    return table


_REQUEST_COLUMNS = (
    "id", "clinic_id", "service_id", "patient_id", "full_name", "email", "phone", "date_of_birth", "concern",
    "concern_details", "heart_condition", "substance_misuse", "psychosis_or_mania", "pregnancy", "medications",
    "support_person", "call_me", "consent_privacy", "consent_email", "consent_phone", "status",
    "needs_clinician_review", "review_reasons", "review_decision", "review_note", "reviewed_at",
    "created_at", "updated_at")
CONCERNS = ["depression", "anxiety", "ptsd", "chronic_pain", "migraine"]


def _requests(clinic_set: Any, per_clinic: dict[int, int], pools: dict[int, list[int]], appointments: int,
              now: datetime, rng: random.Random) -> tuple[TableRows, TableRows]:
    """The busy clinic's open requests, and closed ones everywhere in proportion to appointments."""
    table = TableRows("consultation_request", _REQUEST_COLUMNS)
    preferred = TableRows("preferred_time", ("id", "clinic_id", "request_id", "rank", "starts_at"))
    first = datetime.combine(span(now.date())[0], datetime.min.time(), tzinfo=UTC)
    plans = {p.id: p for p in clinic_set.plans}

    def add(clinic_id: int, status: str, created: datetime, patient_id: int | None, review: str | None) -> None:
        rid = len(table.rows) + 1
        flagged = status == "needs_review" or review is not None
        slug = "initial-consultation" if rng.random() < 0.7 else "video-consultation"
        table.add(rid, clinic_id, plans[clinic_id].services[slug][0], patient_id, _name(rng),
                  f"r{rid}@requests.bench.example", f"+1312555{rid % 10000:04d}", date(1970 + rid % 30, 5, 17),
                  rng.choice(CONCERNS), "", "yes" if flagged else "no", "no", "no", "no", "", "yes", False, True,
                  True, True, status, flagged, ["heart_condition"] if flagged else [], review, "",
                  created + timedelta(days=1) if review else None, created, created)
        day = created.replace(hour=15, minute=0, second=0, microsecond=0)
        for rank, days in enumerate(sorted(rng.sample(range(2, 21), rng.randint(1, 3))), start=1):
            preferred.add(len(preferred.rows) + 1, clinic_id, rid, rank, day + timedelta(days=days))

    for _ in range(OPEN_REQUESTS):
        status = rng.choices(["new", "needs_review", "contacted"], [0.6, 0.25, 0.15])[0]
        add(1, status, now - timedelta(seconds=rng.randint(60, 60 * 86400)), None, None)
    closed = appointments // 5
    for clinic_id, count in sorted(per_clinic.items()):
        for _ in range(round(closed * count / appointments)):
            status = rng.choices(["scheduled", "withdrawn", "declined"], [0.6, 0.25, 0.15])[0]
            created = first + (now - first) * rng.random()
            review = rng.choices(["cleared", "needs_call", "declined"], [0.8, 0.1, 0.1])[0] \
                if rng.random() < 0.2 else None
            patient = rng.choice(pools[clinic_id]) if status == "scheduled" else None
            add(clinic_id, status, created, patient, review)
    table.rows.sort(key=lambda r: r[-2])  # ids in creation order, as the app would give them
    renumber = {row[0]: i for i, row in enumerate(table.rows, start=1)}
    table.rows = [(renumber[r[0]], *r[1:]) for r in table.rows]
    preferred.rows = [(p[0], p[1], renumber[p[2]], *p[3:]) for p in preferred.rows]
    return table, preferred


def _outbox_history(appointments: TableRows, now: datetime, rng: random.Random) -> TableRows:
    """A sent confirmation for about every other past appointment (short bodies)."""
    table = TableRows("outbox_message", (
        "id", "clinic_id", "appointment_id", "appointment_version", "kind", "dedupe_key", "sender", "recipient",
        "subject", "body_text", "body_html", "has_manage_link", "message_id", "status", "attempts", "due_at",
        "next_attempt_at", "last_error", "created_at", "sent_at"))
    for row in appointments.rows:
        aid, clinic_id, starts_at, created = row[0], row[1], row[5], row[15]
        if starts_at >= now or rng.random() >= 0.5:
            continue
        mid = len(table.rows) + 1
        table.add(mid, clinic_id, aid, 1, "appointment_booked", f"appointment_booked:{aid}:v1",
                  "Bench Clinic <desk@bench.example>", f"Patient <p{aid}@patients.bench.example>",
                  "Your appointment is booked", "Your appointment is booked. See you soon.",
                  "<p>Your appointment is booked. See you soon.</p>", True, f"<hist-{mid}@bench.localhost>",
                  "sent", 1, created, created, "", created, created + timedelta(seconds=30))
    return table


def _audit(appointments: TableRows, now: datetime, rng: random.Random) -> TableRows:
    """An audit event for every four appointments: bookings and record views."""
    table = TableRows("audit_event", ("id", "clinic_id", "staff_id", "action", "entity", "entity_id", "at",
                                      "details"))
    for row in appointments.rows[::4]:
        at = min(row[15], now)
        action = "appointment_booked" if rng.random() < 0.7 else "patient_viewed"
        table.add(len(table.rows) + 1, row[1], 1 if row[1] == 1 else None, action,
                  "appointment" if action == "appointment_booked" else "patient",
                  row[0] if action == "appointment_booked" else row[4], at, {})
    return table
