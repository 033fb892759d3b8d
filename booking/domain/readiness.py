"""Is a visit ready? The day sheet's checks, in words and a tone each (pure)."""
from __future__ import annotations

from dataclasses import dataclass

# Tones: "ok" ready, "warn" to chase, "alert" blocks the visit, "info" only to know.
OK, WARN, ALERT, INFO = "ok", "warn", "alert", "info"


@dataclass(frozen=True)
class VisitFacts:
    """What the front desk needs to know about one visit, gathered by `booking/queries/readiness.py`."""

    infusion: bool
    attendance_confirmed: bool
    driver_named: bool
    driver_confirmed: bool
    fasting: bool  # the visit's instructions ask the patient to fast
    fasting_acknowledged: bool
    review_pending: bool  # a flagged screening answer without a clinician's clearance
    consultation_done: bool  # a completed consultation before this visit
    change_requested: bool  # the patient asked for another time
    series_position: int | None = None
    series_size: int | None = None
    over: bool = False  # arrived, completed or a no-show: nothing left to chase


@dataclass(frozen=True)
class Check:
    """One line of readiness: a key for tests and styling, the words, and the tone."""

    key: str
    text: str
    tone: str


def readiness(facts: VisitFacts) -> tuple[Check, ...]:
    """Every check that applies to the visit, in the order the front desk works through them."""
    chase = INFO if facts.over else WARN
    checks = [
        Check("attendance", "Attendance confirmed", OK) if facts.attendance_confirmed
        else Check("attendance", "Attendance not confirmed", chase),
    ]
    if facts.infusion:
        if facts.driver_confirmed:
            checks.append(Check("driver", "Driver named and confirmed", OK))
        elif facts.driver_named:
            checks.append(Check("driver", "Driver named, not confirmed", chase))
        else:
            checks.append(Check("driver", "No driver named", chase))
    if facts.fasting:
        checks.append(Check("fasting", "Fasting plan acknowledged", OK) if facts.fasting_acknowledged
                      else Check("fasting", "Fasting plan not acknowledged", chase))
    checks.append(Check("review", "Screening review pending", ALERT) if facts.review_pending
                  else Check("review", "Screening cleared", OK))
    if facts.infusion:
        checks.append(Check("consultation", "Consultation done", OK) if facts.consultation_done
                      else Check("consultation", "No completed consultation", ALERT))
    if facts.change_requested:
        checks.append(Check("change", "Patient asked for another time", ALERT))
    if facts.series_position is not None and facts.series_size:
        checks.append(Check("series", f"Series {facts.series_position} of {facts.series_size}", INFO))
    return tuple(checks)


def to_do(checks: tuple[Check, ...]) -> int:
    """How many checks still need the front desk (to chase or blocking)."""
    return sum(c.tone in (WARN, ALERT) for c in checks)
