"""The one search box: patients and requests by name, email, phone or date of birth, in one clinic."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from sqlalchemy import ColumnElement, func, or_, select, text

from booking.domain.people_search import name_matches, parse_birth_date
from booking.extensions import db
from booking.folding import fold
from booking.models import Clinic, ConsultationRequest, Patient

LIMIT = 50
# Regions that write dates day first; the rest (the US first) write 03/04 as March 4.
DAY_FIRST_EXCEPT = ("US", "CA", "PH")
# On PostgreSQL, how alike (pg_trgm word similarity) a name must be to match a typed one.
TRIGRAM_THRESHOLD = 0.45


@dataclass
class Found:
    """What a search found: patient records, and requests (some from people with no record yet)."""

    patients: list[Patient] = field(default_factory=list)
    requests: list[ConsultationRequest] = field(default_factory=list)


def phone_in_e164(typed: str, region: str) -> str | None:
    """A phone number typed in any format, as E.164 ("+13125550100"); None if it is not one."""
    if len(re.sub(r"\D", "", typed)) < 7:
        return None
    try:
        number = phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _terms(model: type[Patient] | type[ConsultationRequest], q: str, clinic: Clinic,
           postgres: bool) -> list[ColumnElement[bool]]:
    terms: list[ColumnElement[bool]] = []
    if "@" in q:
        terms.append(func.lower(model.email).contains(q.lower(), autoescape=True))
        return terms
    born = parse_birth_date(q, day_first=clinic.phone_region not in DAY_FIRST_EXCEPT)
    if born is not None:
        terms.append(model.date_of_birth == born)
        return terms
    phone = phone_in_e164(q, clinic.phone_region)
    if phone is not None:
        terms.append(model.phone == phone)
    digits = re.sub(r"\D", "", q)
    if len(digits) >= 4 and not re.search(r"[^\d\s()+.\-]", q):
        terms.append(model.phone.contains(digits, autoescape=True))
        return terms
    folded = fold(q)
    if folded:
        terms.append(model.search_name.contains(folded, autoescape=True))
        terms.append(func.lower(model.email).contains(q.lower(), autoescape=True))
        if postgres:
            # pg_trgm: "name %> typed" (word similarity) uses the GIN trigram index and forgives typos.
            terms.append(model.search_name.bool_op("%>")(folded))
    return terms


def _matching(model: type[Patient] | type[ConsultationRequest], clinic: Clinic, q: str) -> list[Any]:
    postgres = db.session.get_bind().dialect.name == "postgresql"
    terms = _terms(model, q, clinic, postgres)
    if not terms:
        return []
    if postgres:
        db.session.execute(text(f"SET LOCAL pg_trgm.word_similarity_threshold = {TRIGRAM_THRESHOLD}"))
    query = select(model).where(model.clinic_id == clinic.id)
    is_name = bool(fold(q)) and "@" not in q and not re.fullmatch(r"[\d\s()+./\-]+", q)
    if is_name and not postgres:
        # SQLite has no trigrams: read the clinic's folded names and forgive one typo in Python.
        ids = [row_id for row_id, name in db.session.execute(
            select(model.id, model.search_name).where(model.clinic_id == clinic.id)
        ) if name_matches(q, name)]
        query = query.where(or_(model.id.in_(ids[:LIMIT]), *terms))
    else:
        query = query.where(or_(*terms))
    order = model.full_name if not postgres or not is_name else func.word_similarity(fold(q), model.search_name).desc()
    return list(db.session.scalars(query.order_by(order, model.id).limit(LIMIT)))


def search_people(clinic: Clinic, q: str) -> Found:
    """Patients and requests of `clinic` whose name, email, phone or birth date matches `q`."""
    q = q.strip()[:100]
    if not q:
        return Found()
    return Found(patients=_matching(Patient, clinic, q), requests=_matching(ConsultationRequest, clinic, q))


def search_patients(clinic: Clinic, q: str) -> list[Patient]:
    """Only the patients (e.g. to pick whom to book)."""
    q = q.strip()[:100]
    return _matching(Patient, clinic, q) if q else []

