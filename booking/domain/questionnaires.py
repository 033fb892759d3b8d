"""Symptom questionnaires and their scoring (pure): PHQ-9, GAD-7, PCL-5 and a pain score (PEG).

What is here is the structure and the arithmetic of each published instrument: how many
items, the range of each answer, how the total is formed, the severity bands and the
flags. The patient-facing wording (exact published English, and Spanish) lives at the
edge, in `booking/manage/instrument_text.py`, so it can be translated.

Scores support, never replace, a clinician's judgement.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from booking.models.checkin import Instrument

__all__ = ["Instrument"]


@dataclass(frozen=True)
class Band:
    """A named range of totals, inclusive at both ends."""

    low: int
    high: int
    name: str


@dataclass(frozen=True)
class Definition:
    """One instrument: version (published year, then our edition), items, answer range, bands.

    `divisor` turns the sum into the reported value: 1 for the summed scales, 3 for the
    PEG, whose score is the mean of its three 0-10 items.
    """

    instrument: Instrument
    version: str
    name: str
    source: str
    items: int
    lowest: int
    highest: int
    bands: tuple[Band, ...]
    divisor: int = 1

    @property
    def max_total(self) -> int:
        """The largest possible sum of the answers."""
        return self.items * self.highest

    @property
    def max_value(self) -> float:
        """The largest reported value (the top of the chart's axis)."""
        return self.max_total / self.divisor


PHQ9 = Definition(
    Instrument.PHQ9, "phq9-2001.1", "PHQ-9", "Kroenke, Spitzer & Williams 2001", 9, 0, 3,
    (
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 27, "severe"),
    ),
)
GAD7 = Definition(
    Instrument.GAD7, "gad7-2006.1", "GAD-7", "Spitzer, Kroenke, Williams & Löwe 2006", 7, 0, 3,
    (Band(0, 4, "minimal"), Band(5, 9, "mild"), Band(10, 14, "moderate"), Band(15, 21, "severe")),
)
# The National Center for PTSD gives no severity bands; 31-33 is its provisional cut-point
# for probable PTSD. 33 is used here, as in the PCL-5's validation studies.
PCL5_CUT_POINT = 33
PCL5 = Definition(
    Instrument.PCL5, "pcl5-2013.1", "PCL-5", "Weathers et al. 2013, National Center for PTSD (past month)", 20, 0, 4,
    (Band(0, PCL5_CUT_POINT - 1, "below the provisional cut-point"),
     Band(PCL5_CUT_POINT, 80, "at or above the provisional cut-point")),
)
PAIN = Definition(
    Instrument.PAIN, "peg-2009.1", "Pain (PEG)", "Krebs et al. 2009 (past week)", 3, 0, 10, (), divisor=3,
)

DEFINITIONS: dict[Instrument, Definition] = {d.instrument: d for d in (PHQ9, GAD7, PCL5, PAIN)}

# PHQ-9 item 9 (thoughts of being better off dead or of self-harm), counted from 1.
PHQ9_SELF_HARM_ITEM = 9


class IncompleteAnswers(ValueError):
    """Some items are unanswered or out of range; `missing` counts from 1."""

    def __init__(self, missing: tuple[int, ...]) -> None:
        super().__init__(f"unanswered or invalid items: {missing}")
        self.missing = missing


@dataclass(frozen=True)
class Score:
    """The result of one completed questionnaire.

    `total` is the sum of the answers; `value` is what the instrument reports (the total,
    or for the PEG the mean of the three items). `self_harm` is set for any answer above
    zero on PHQ-9 item 9. For the pain score, `intensity` is item 1 and `interference` the
    mean of items 2 and 3.
    """

    instrument: Instrument
    version: str
    answers: tuple[int, ...]
    total: int
    value: float
    band: str | None
    self_harm: bool
    intensity: int | None = None
    interference: float | None = None


def missing_items(definition: Definition, answers: Sequence[int | None]) -> tuple[int, ...]:
    """The items (from 1) that are unanswered or outside the instrument's range."""
    padded = list(answers) + [None] * (definition.items - len(answers))
    return tuple(
        n for n, answer in enumerate(padded[: definition.items], start=1)
        if answer is None or not definition.lowest <= answer <= definition.highest
    )


def band_for(definition: Definition, total: int) -> str | None:
    """The severity band a total falls in (None for an instrument without bands)."""
    return next((b.name for b in definition.bands if b.low <= total <= b.high), None)


def score(instrument: Instrument, answers: Sequence[int | None]) -> Score:
    """Score a completed questionnaire; raise IncompleteAnswers naming each bad item."""
    definition = DEFINITIONS[instrument]
    if len(answers) > definition.items:
        raise IncompleteAnswers(tuple(range(definition.items + 1, len(answers) + 1)))
    missing = missing_items(definition, answers)
    if missing:
        raise IncompleteAnswers(missing)
    values = tuple(int(a) for a in answers if a is not None)
    total = sum(values)
    return Score(
        instrument=instrument,
        version=definition.version,
        answers=values,
        total=total,
        value=round(total / definition.divisor, 1),
        band=band_for(definition, total),
        self_harm=instrument is Instrument.PHQ9 and values[PHQ9_SELF_HARM_ITEM - 1] > 0,
        intensity=values[0] if instrument is Instrument.PAIN else None,
        interference=round((values[1] + values[2]) / 2, 1) if instrument is Instrument.PAIN else None,
    )


def parse_instruments(codes: Sequence[str]) -> tuple[Instrument, ...]:
    """Known instrument codes in the canonical order, unknown ones dropped."""
    wanted = set(codes)
    return tuple(i for i in Instrument if i.value in wanted)
