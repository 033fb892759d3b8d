"""The header's one search box: patients and requests by name, email, phone or birth date, in one clinic."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from booking.extensions import db
from booking.models import utcnow
from booking.queries.people import phone_in_e164, search_people
from tests.factories import create_patient, create_request


def _people(make_clinic: Any) -> Any:
    clinic = make_clinic()
    patient = create_patient(clinic, "José María Núñez")
    patient.phone = "+13125550177"
    patient.email = "jm.nunez@example.com"
    patient.date_of_birth = date(1980, 3, 4)
    request_only = create_request(clinic, utcnow() + timedelta(days=3), name="Renée Dubois")
    request_only.email, request_only.phone = "renee@example.org", "+13125550188"
    db.session.commit()
    return clinic, patient, request_only


@pytest.mark.parametrize("typed", ["jose maria nunez", "Núñez", "NUNEZ", "Jsoe Nunez", "Jose Nunes"])
def test_names_are_found_without_accents_and_with_one_typo(make_clinic: Any, typed: str) -> None:
    clinic, patient, _ = _people(make_clinic)
    assert [p.id for p in search_people(clinic, typed).patients] == [patient.id]


@pytest.mark.parametrize("typed", ["(312) 555-0177", "312.555.0177", "+1 312 555 0177", "3125550177", "555-0177"])
def test_phones_in_any_format(make_clinic: Any, typed: str) -> None:
    clinic, patient, _ = _people(make_clinic)
    assert [p.id for p in search_people(clinic, typed).patients] == [patient.id]


@pytest.mark.parametrize("typed", ["1980-03-04", "03/04/1980", "3/4/80", "March 4, 1980"])
def test_dates_of_birth_in_several_forms(make_clinic: Any, typed: str) -> None:
    clinic, patient, _ = _people(make_clinic)
    assert [p.id for p in search_people(clinic, typed).patients] == [patient.id]


def test_email_in_any_case(make_clinic: Any) -> None:
    clinic, patient, _ = _people(make_clinic)
    assert [p.id for p in search_people(clinic, "JM.Nunez@Example.com").patients] == [patient.id]


def test_people_who_only_sent_a_request_are_found(make_clinic: Any, signed_in: Any) -> None:
    clinic, _, request_only = _people(make_clinic)
    found = search_people(clinic, "renee dubois")
    assert found.patients == [] and [r.id for r in found.requests] == [request_only.id]
    assert [r.id for r in search_people(clinic, "312-555-0188").requests] == [request_only.id]
    page = signed_in(clinic).get("/dashboard/search?q=Renee").get_data(as_text=True)
    assert f"/dashboard/requests/{request_only.id}" in page and "Request only, no patient record" in page
    assert "(312) 555-0188" in page  # phones in the clinic's national format, not raw E.164


def test_search_is_one_clinic_s(make_clinic: Any, signed_in: Any) -> None:
    clinic, patient, _ = _people(make_clinic)
    other = make_clinic()
    create_patient(other, "José Núñez")
    create_request(other, utcnow() + timedelta(days=3), name="Renée Other")
    assert search_people(other, "renee").requests[0].clinic_id == other.id
    page = signed_in(clinic).get("/dashboard/search?q=nunez").get_data(as_text=True)
    assert re.findall(r"/dashboard/patients/\d+", page) == [f"/dashboard/patients/{patient.id}"]


def test_the_box_is_in_every_dashboard_page_header(make_clinic: Any, signed_in: Any) -> None:
    clinic, _, _ = _people(make_clinic)
    client = signed_in(clinic)
    for path in ("/dashboard/", "/dashboard/requests/", "/dashboard/week"):
        assert 'action="/dashboard/search"' in client.get(path).get_data(as_text=True)


def test_nothing_typed_finds_nothing(make_clinic: Any) -> None:
    clinic, _, _ = _people(make_clinic)
    found = search_people(clinic, "   ")
    assert found.patients == [] and found.requests == []
    assert search_people(clinic, "zzzz qqqq").patients == []


def test_phone_numbers_are_read_in_the_clinic_s_region() -> None:
    assert phone_in_e164("(312) 555-0177", "US") == "+13125550177"
    assert phone_in_e164("020 7946 0018", "GB") == "+442079460018"
    assert phone_in_e164("12", "US") is None


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def test_postgres_searches_names_by_trigrams_through_a_gin_index(make_clinic: Any) -> None:
    clinic, patient, _ = _people(make_clinic)
    if not _postgres():
        pytest.skip("the trigram path is PostgreSQL's (TEST_DATABASE_URL)")
    indexes = dict(db.session.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('patient', 'consultation_request')"
        " AND indexname LIKE '%search_name'")).all())
    assert set(indexes) == {"ix_patient_search_name", "ix_consultation_request_search_name"}
    assert all("gin" in d and "gin_trgm_ops" in d for d in indexes.values())
    # Found by trigram similarity (the folded name is not a substring of it).
    create_patient(clinic, "Maria Gonzalez")
    assert "Maria Gonzalez" in [p.full_name for p in search_people(clinic, "maria gonzales").patients]
    best = search_people(clinic, "jose nunes").patients
    assert best[0].id == patient.id
