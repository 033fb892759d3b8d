"""A visit's readiness: every check that applies, in words, with a tone that is never the only signal."""
from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from booking.domain.readiness import ALERT, INFO, OK, WARN, Check, VisitFacts, readiness, to_do

READY_INFUSION = VisitFacts(
    infusion=True, attendance_confirmed=True, driver_named=True, driver_confirmed=True, fasting=True,
    fasting_acknowledged=True, review_pending=False, consultation_done=True, change_requested=False,
    series_position=3, series_size=6,
)


def by_key(facts: VisitFacts) -> dict[str, Check]:
    return {c.key: c for c in readiness(facts)}


def test_a_ready_infusion_reads_ready_in_words() -> None:
    checks = readiness(READY_INFUSION)
    assert [(c.key, c.text, c.tone) for c in checks] == [
        ("attendance", "Attendance confirmed", OK),
        ("driver", "Driver named and confirmed", OK),
        ("fasting", "Fasting plan acknowledged", OK),
        ("review", "Screening cleared", OK),
        ("consultation", "Consultation done", OK),
        ("series", "Series 3 of 6", INFO),
    ]
    assert to_do(checks) == 0


def test_what_is_missing_is_said() -> None:
    facts = replace(READY_INFUSION, attendance_confirmed=False, driver_confirmed=False, fasting_acknowledged=False,
                    review_pending=True, consultation_done=False, change_requested=True)
    checks = by_key(facts)
    assert checks["attendance"] == Check("attendance", "Attendance not confirmed", WARN)
    assert checks["driver"] == Check("driver", "Driver named, not confirmed", WARN)
    assert checks["fasting"].text == "Fasting plan not acknowledged"
    assert checks["review"] == Check("review", "Screening review pending", ALERT)
    assert checks["consultation"] == Check("consultation", "No completed consultation", ALERT)
    assert checks["change"] == Check("change", "Patient asked for another time", ALERT)
    assert to_do(tuple(checks.values())) == 6
    assert by_key(replace(facts, driver_named=False))["driver"].text == "No driver named"


def test_a_consultation_has_no_driver_or_consultation_check() -> None:
    consult = replace(READY_INFUSION, infusion=False, fasting=False, series_position=None, series_size=None)
    assert [c.key for c in readiness(consult)] == ["attendance", "review"]


def test_once_the_visit_is_over_nothing_is_left_to_chase() -> None:
    over = replace(READY_INFUSION, over=True, attendance_confirmed=False, driver_confirmed=False)
    assert by_key(over)["attendance"].tone == INFO and by_key(over)["driver"].tone == INFO


facts = st.builds(
    VisitFacts, infusion=st.booleans(), attendance_confirmed=st.booleans(), driver_named=st.booleans(),
    driver_confirmed=st.booleans(), fasting=st.booleans(), fasting_acknowledged=st.booleans(),
    review_pending=st.booleans(), consultation_done=st.booleans(), change_requested=st.booleans(),
    series_position=st.none() | st.integers(1, 12), series_size=st.none() | st.integers(1, 12), over=st.booleans(),
)


@given(facts)
def test_every_check_has_words_a_known_tone_and_a_unique_key(f: VisitFacts) -> None:
    checks = readiness(f)
    assert len({c.key for c in checks}) == len(checks)
    assert all(c.text and c.tone in (OK, WARN, ALERT, INFO) for c in checks)
    # Not colour alone: a check that is not fine never reads like one that is.
    fine = {c.text for c in checks if c.tone == OK}
    assert not any(c.text in fine for c in checks if c.tone in (WARN, ALERT))
    assert ("driver" in {c.key for c in checks}) is f.infusion
    assert ("change" in {c.key for c in checks}) is f.change_requested
