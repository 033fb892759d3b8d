"""When two requests, or a request and a patient, are probably the same person."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Two requests with the same email or phone this close together are one person asking twice.
CONTACT_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Person:
    """What identifies someone: contact details, folded name, birth date; `at` when a request was sent."""

    email: str
    phone: str
    name: str
    born: date | None
    at: datetime | None = None  # None for a patient record: its contact details match at any time


def same_person(new: Person, known: Person) -> str | None:
    """Why `known` is probably `new` ("email", "phone", "name and date of birth"), or None."""
    near = new.at is None or known.at is None or abs(new.at - known.at) <= CONTACT_WINDOW
    if near and new.email and new.email.lower() == known.email.lower():
        return "email"
    if near and new.phone and new.phone == known.phone:
        return "phone"
    if new.born is not None and new.born == known.born and new.name and new.name == known.name:
        return "name and date of birth"
    return None
