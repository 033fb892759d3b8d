"""Screening answers that route a request to a clinician. Nothing here rejects anyone."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from booking.models.patient import Answer

# The yes/no/unsure questions; any answer but "no" needs a clinician's review.
SCREENING_QUESTIONS: tuple[str, ...] = (
    "heart_condition",
    "substance_misuse",
    "psychosis_or_mania",
    "pregnancy",
)

ADULT_AGE = 18


def age_on(date_of_birth: date, today: date) -> int:
    """Age in whole years on `today`."""
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def review_reasons(answers: Mapping[str, Answer], date_of_birth: date, today: date) -> list[str]:
    """Why a clinician should look at this request first, in a stable order."""
    reasons = [q for q in SCREENING_QUESTIONS if answers[q] is not Answer.NO]
    if age_on(date_of_birth, today) < ADULT_AGE:
        reasons.append("under_18")
    return reasons
