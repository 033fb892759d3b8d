"""The public consultation request form: a valid submission and free times to choose."""
from __future__ import annotations

from typing import Any

from booking.models import Clinic, utcnow
from booking.queries.availability import find_slots
from tests.factories import service
from tests.support.clinic_time import days_ahead


def free_times(clinic: Clinic, n: int = 1, slug: str = "consult") -> list[str]:
    """The first `n` free start times tomorrow, as the form posts them (ISO 8601 in the clinic's zone)."""
    slots = find_slots(clinic, service(clinic, slug), days_ahead(clinic, 1), 1, utcnow())
    return [s.start.isoformat() for s in slots[:n]]


def form_data(clinic: Clinic, **overrides: Any) -> dict[str, Any]:
    """A valid submission; override any field (None leaves it out)."""
    data: dict[str, Any] = {
        "service": "consult",
        "full_name": "Robin Testpatient",
        "email": "robin@example.com",
        "phone": "(312) 555-0177",
        "date_of_birth": "1985-04-12",
        "concern": "depression",
        "concern_details": "",
        "heart_condition": "no",
        "substance_misuse": "no",
        "psychosis_or_mania": "no",
        "pregnancy": "no",
        "medications": "",
        "support_person": "yes",
        "preferred_times": free_times(clinic, 2),
        "consent_email": "y",
        "consent_phone": "y",
        "consent_privacy": "y",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
