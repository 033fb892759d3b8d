"""Who is probably the same person: same email or phone within 30 days, or same name and date of birth."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from booking.domain.duplicates import Person, same_person

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def person(email: str = "a@example.com", phone: str = "+13125550100", name: str = "ana lopez",
           born: date | None = date(1980, 1, 2), at: datetime | None = NOW) -> Person:
    return Person(email, phone, name, born, at)


def test_same_email_in_any_case_within_thirty_days() -> None:
    assert same_person(person(), person(email="A@Example.com", phone="", at=NOW - timedelta(days=30))) == "email"
    assert same_person(person(), person(phone="", name="x", at=NOW - timedelta(days=31))) is None


def test_same_phone_within_thirty_days() -> None:
    assert same_person(person(email="b@x.org"), person(at=NOW + timedelta(days=3))) == "phone"


def test_same_name_and_birth_date_at_any_time() -> None:
    old = person(email="old@x.org", phone="+13125559999", at=NOW - timedelta(days=400))
    assert same_person(person(), old) == "name and date of birth"
    assert same_person(person(), person(email="o@x.org", phone="", born=date(1980, 1, 3))) is None
    assert same_person(person(born=None), person(email="o@x.org", phone="", born=None)) is None


def test_a_patient_record_matches_by_contact_at_any_time() -> None:
    assert same_person(person(), person(name="other", at=None)) == "email"
