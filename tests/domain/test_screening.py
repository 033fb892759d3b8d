"""Screening: which answers route a request to a clinician, and the age rule."""
from __future__ import annotations

from datetime import date

import pytest

from booking.domain.screening import ADULT_AGE, SCREENING_QUESTIONS, age_on, review_reasons
from booking.models import Answer

TODAY = date(2026, 6, 4)
ADULT = date(1980, 1, 1)
ALL_NO = dict.fromkeys(SCREENING_QUESTIONS, Answer.NO)


def test_the_questions_and_the_age() -> None:
    assert SCREENING_QUESTIONS == ("heart_condition", "substance_misuse", "psychosis_or_mania", "pregnancy")
    assert ADULT_AGE == 18


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(1980, 6, 4), date(2026, 6, 4), 46),  # the birthday itself
        (date(1980, 6, 5), date(2026, 6, 4), 45),  # the day before it
        (date(1980, 6, 3), date(2026, 6, 4), 46),
        (date(1980, 12, 31), date(2026, 1, 1), 45),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # a leap-day birthday comes on 1 March
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(2026, 6, 4), date(2026, 6, 4), 0),
    ],
)
def test_age_in_whole_years(born: date, today: date, age: int) -> None:
    assert age_on(born, today) == age


def test_an_adult_who_answers_no_to_everything_needs_no_review() -> None:
    assert review_reasons(ALL_NO, ADULT, TODAY) == []


@pytest.mark.parametrize("question", SCREENING_QUESTIONS)
@pytest.mark.parametrize("answer", [Answer.YES, Answer.UNSURE])
def test_yes_or_not_sure_to_any_question_is_a_reason(question: str, answer: Answer) -> None:
    assert review_reasons({**ALL_NO, question: answer}, ADULT, TODAY) == [question]


def test_under_18_is_a_reason_until_the_18th_birthday() -> None:
    assert review_reasons(ALL_NO, date(2008, 6, 5), TODAY) == ["under_18"]
    assert review_reasons(ALL_NO, date(2008, 6, 4), TODAY) == []


def test_reasons_come_in_the_order_of_the_questions_then_age() -> None:
    answers = {
        "pregnancy": Answer.UNSURE,
        "heart_condition": Answer.YES,
        "psychosis_or_mania": Answer.YES,
        "substance_misuse": Answer.NO,
    }
    assert review_reasons(answers, date(2010, 1, 1), TODAY) == [
        "heart_condition", "psychosis_or_mania", "pregnancy", "under_18",
    ]


def test_other_answers_are_ignored() -> None:
    assert review_reasons({**ALL_NO, "support_person": Answer.NO, "medications": "x"}, ADULT, TODAY) == []  # type: ignore[dict-item]
