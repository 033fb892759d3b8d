"""Questionnaire scoring against the instruments' published scoring rules and examples."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.domain.questionnaires import (
    DEFINITIONS,
    GAD7,
    PHQ9,
    IncompleteAnswers,
    Instrument,
    band_for,
    parse_instruments,
    score,
)


# PHQ-9 (Kroenke, Spitzer & Williams 2001; the Pfizer instruction manual): each of 9 items 0-3,
# total 0-27; 5, 10, 15 and 20 are the thresholds of mild, moderate, moderately severe and severe.
@pytest.mark.parametrize(("total", "band"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe"),
])
def test_phq9_bands_at_the_published_thresholds(total: int, band: str) -> None:
    assert band_for(PHQ9, total) == band


def test_phq9_worked_example() -> None:
    # A filled-in example: two items "more than half the days" (2), three "several days" (1),
    # one "nearly every day" (3), the rest "not at all": 2+2+1+1+1+3 = 10, moderate.
    result = score(Instrument.PHQ9, [2, 2, 1, 1, 1, 3, 0, 0, 0])
    assert (result.total, result.band, result.self_harm) == (10, "moderate", False)
    assert result.value == 10
    assert result.version == PHQ9.version


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_any_answer_above_zero_on_item_9_flags_self_harm(item9: int) -> None:
    result = score(Instrument.PHQ9, [0] * 8 + [item9])
    assert result.self_harm
    assert result.band == "minimal"  # the flag is independent of the total


def test_item_9_at_zero_and_other_instruments_never_flag() -> None:
    assert not score(Instrument.PHQ9, [3] * 8 + [0]).self_harm
    assert not score(Instrument.GAD7, [3] * 7).self_harm
    assert not score(Instrument.PCL5, [4] * 20).self_harm


@pytest.mark.parametrize(("total", "band"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"), (15, "severe"),
    (21, "severe"),
])
def test_gad7_bands(total: int, band: str) -> None:
    # Spitzer et al. 2006: 5, 10 and 15 are the cut-points for mild, moderate and severe anxiety.
    assert band_for(GAD7, total) == band


def test_gad7_range() -> None:
    assert score(Instrument.GAD7, [3] * 7).total == 21
    assert score(Instrument.GAD7, [0] * 7).total == 0


def test_pcl5_sums_20_items_0_to_4_with_the_provisional_cut_point() -> None:
    # National Center for PTSD: total 0-80 by summing the 20 items; 31-33 is the provisional cut-point.
    assert score(Instrument.PCL5, [4] * 20).total == 80
    below = score(Instrument.PCL5, [1] * 20 + [])
    assert (below.total, below.band) == (20, "below the provisional cut-point")
    at = score(Instrument.PCL5, [2] * 16 + [1] * 1 + [0] * 3)
    assert (at.total, at.band) == (33, "at or above the provisional cut-point")


def test_peg_is_the_mean_of_its_three_items_with_intensity_and_interference() -> None:
    # Krebs et al. 2009: the PEG score is the average of the three 0-10 items.
    result = score(Instrument.PAIN, [6, 4, 5])
    assert result.total == 15
    assert result.value == 5.0
    assert result.intensity == 6
    assert result.interference == 4.5
    assert result.band is None
    assert score(Instrument.PAIN, [7, 7, 8]).value == 7.3


def test_unanswered_or_out_of_range_items_are_each_named() -> None:
    with pytest.raises(IncompleteAnswers) as missing:
        score(Instrument.PHQ9, [0, None, 1, 4, 0, 0, 0, 0])
    assert missing.value.missing == (2, 4, 9)
    with pytest.raises(IncompleteAnswers) as too_many:
        score(Instrument.GAD7, [0] * 8)
    assert too_many.value.missing == (8,)
    with pytest.raises(IncompleteAnswers):
        score(Instrument.PAIN, [-1, 0, 0])


def test_instrument_codes_in_canonical_order() -> None:
    assert parse_instruments(["pain", "nonsense", "phq9"]) == (Instrument.PHQ9, Instrument.PAIN)


@st.composite
def completed(draw: st.DrawFn) -> tuple[Instrument, list[int]]:
    instrument = draw(st.sampled_from(list(Instrument)))
    d = DEFINITIONS[instrument]
    answers = draw(st.lists(st.integers(d.lowest, d.highest), min_size=d.items, max_size=d.items))
    return instrument, answers


@given(completed())
def test_total_is_the_sum_and_within_range(case: tuple[Instrument, list[int]]) -> None:
    instrument, answers = case
    d = DEFINITIONS[instrument]
    result = score(instrument, answers)
    assert result.total == sum(answers)
    assert 0 <= result.total <= d.max_total
    assert 0 <= result.value <= d.max_value
    assert result.answers == tuple(answers)
    assert result.self_harm == (instrument is Instrument.PHQ9 and answers[8] > 0)


@pytest.mark.parametrize("definition", [d for d in DEFINITIONS.values() if d.bands])
def test_bands_cover_the_whole_range_without_overlap(definition: object) -> None:
    d = definition
    assert d.bands[0].low == 0  # type: ignore[attr-defined]
    assert d.bands[-1].high == d.max_total  # type: ignore[attr-defined]
    for earlier, later in zip(d.bands, d.bands[1:], strict=False):  # type: ignore[attr-defined]
        assert later.low == earlier.high + 1


@given(st.sampled_from([d for d in DEFINITIONS.values() if d.bands]).flatmap(
    lambda d: st.tuples(st.just(d), st.integers(0, d.max_total))))
def test_every_total_has_exactly_one_band(case: tuple[object, int]) -> None:
    d, total = case
    assert sum(b.low <= total <= b.high for b in d.bands) == 1  # type: ignore[attr-defined]
