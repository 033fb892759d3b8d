"""Rows for tests: clinics, staff, patients, requests and appointments, and lookups of what they made.

Plain functions that add and commit through `db.session` (an app context must be open).
The `make_*` fixtures in tests/conftest.py wrap them; tests may call them directly too.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from booking.extensions import db
from booking.models import (
    Answer,
    Appointment,
    Chair,
    ChairKind,
    Clinic,
    Concern,
    ConsultationRequest,
    Membership,
    OpeningHours,
    Patient,
    PreferredTime,
    PrevisitInstructions,
    RequestStatus,
    Role,
    Service,
    ServiceKind,
    StaffUser,
)

STAFF_PASSWORD = "a long test password"


@cache
def staff_password_hash() -> str:
    """STAFF_PASSWORD hashed once, with a cheap scrypt cost.

    Sign-in still runs the real check_password_hash, which reads the cost from the
    hash; the production cost would add about a third of a second to every sign-in.
    """
    return generate_password_hash(STAFF_PASSWORD, method="scrypt:1024:8:1")


def create_clinic(n: int, chairs: int = 2, **overrides: Any) -> Clinic:
    """Clinic number `n`: open every day 08:00-18:00, three services, `chairs` chairs and a room."""
    clinic = Clinic(
        slug=overrides.pop("slug", f"clinic-{n}"),
        name=overrides.pop("name", f"Test Clinic {n}"),
        timezone=overrides.pop("timezone", "America/Chicago"),
        address="1 Test St, Chicago, IL",
        phone="+1 312-555-0100",
        email=f"desk{n}@clinic.example",
        slot_step_minutes=30,
        min_notice_minutes=0,
        horizon_days=60,
        **overrides,
    )
    db.session.add(clinic)
    db.session.flush()
    db.session.add_all(
        [
            Service(clinic_id=clinic.id, slug="consult", name="Initial consultation",
                    kind=ServiceKind.CONSULTATION, duration_minutes=45, public=True, sort_order=0),
            Service(clinic_id=clinic.id, slug="video", name="Video consultation",
                    kind=ServiceKind.CONSULTATION, duration_minutes=30, public=True, sort_order=1),
            Service(clinic_id=clinic.id, slug="infusion", name="Infusion",
                    kind=ServiceKind.INFUSION, duration_minutes=60, recovery_minutes=45,
                    needs_chair=True, sort_order=2),
        ]
    )
    for i in range(chairs):
        db.session.add(Chair(clinic_id=clinic.id, name=f"Chair {i + 1}", kind=ChairKind.INFUSION))
    db.session.add(Chair(clinic_id=clinic.id, name="Room", kind=ChairKind.CONSULT))
    for weekday in range(7):
        db.session.add(OpeningHours(clinic_id=clinic.id, weekday=weekday, opens=time(8), closes=time(18)))
    db.session.add(PrevisitInstructions(
        clinic_id=clinic.id, fasting_hours=6, clear_liquids_hours=2,
        medication_review="Bring your medication list.", driver_required=True,
        support_person_text="Arrange a driver.", other="Arrive early.",
    ))
    db.session.commit()
    return clinic


def create_appointment(clinic: Clinic, service: Service, chair: Chair, start: datetime, **overrides: Any) -> Appointment:
    """An appointment at `start` (aware) for a new patient, holding `chair` through recovery."""
    patient = Patient(clinic_id=clinic.id, full_name="Pat Booked", email="pat@example.com",
                      phone="+13125550100", date_of_birth=date(1980, 1, 1))
    db.session.add(patient)
    db.session.flush()
    ends = start + timedelta(minutes=service.duration_minutes)
    appointment = Appointment(
        clinic_id=clinic.id, service_id=service.id, chair_id=chair.id, patient_id=patient.id,
        starts_at=start, ends_at=ends,
        blocked_until=ends + timedelta(minutes=service.recovery_minutes), **overrides,
    )
    db.session.add(appointment)
    db.session.commit()
    return appointment


def create_staff(n: int, *clinics: Clinic, role: Role = Role.FRONT_DESK, email: str | None = None) -> StaffUser:
    """Staff member number `n` with `role` at each of `clinics`; the password is STAFF_PASSWORD."""
    user = StaffUser(email=email or f"{role.value}{n}@staff.example", full_name=f"Staff {role.value} {n}",
                     password_hash=staff_password_hash())
    user.memberships = [Membership(clinic_id=c.id, role=role) for c in clinics]
    db.session.add(user)
    db.session.commit()
    return user


def create_request(clinic: Clinic, *times: datetime, name: str = "Quinn Requester", flagged: bool = False,
                   medications: str = "") -> ConsultationRequest:
    """A consultation request for a consultation at `times` (aware); `flagged` waits for a clinician."""
    item = ConsultationRequest(
        clinic_id=clinic.id, service_id=service(clinic, "consult").id, full_name=name,
        email=f"{name.split()[0].lower()}@example.com", phone="+13125550111", date_of_birth=date(1988, 2, 3),
        concern=Concern.ANXIETY, heart_condition=Answer.YES if flagged else Answer.NO,
        substance_misuse=Answer.NO, psychosis_or_mania=Answer.NO, pregnancy=Answer.NO,
        medications=medications, support_person=Answer.YES, consent_privacy=True, consent_email=True,
        consent_phone=True, needs_clinician_review=flagged,
        review_reasons=["heart_condition"] if flagged else [],
    )
    item.status = RequestStatus.NEEDS_REVIEW if flagged else RequestStatus.NEW
    item.preferred_times = [PreferredTime(clinic_id=clinic.id, rank=i + 1, starts_at=t) for i, t in enumerate(times)]
    db.session.add(item)
    db.session.commit()
    return item


def create_patient(clinic: Clinic, name: str = "Pat Patient") -> Patient:
    """A patient of `clinic`."""
    patient = Patient(clinic_id=clinic.id, full_name=name, email=f"{name.split()[0].lower()}@example.com",
                      phone="+13125550122", date_of_birth=date(1975, 5, 6))
    db.session.add(patient)
    db.session.commit()
    return patient


def service(clinic: Clinic, slug: str) -> Service:
    """The clinic's service with this slug ("consult", "video", "infusion")."""
    return db.session.scalar(select(Service).filter_by(clinic_id=clinic.id, slug=slug))


def chairs(clinic: Clinic, kind: ChairKind = ChairKind.INFUSION) -> list[Chair]:
    """The clinic's chairs (or consult rooms), in the order they were made."""
    return list(db.session.scalars(select(Chair).filter_by(clinic_id=clinic.id, kind=kind).order_by(Chair.id)))


def give_sms_consent(clinic: Clinic, phone: str, version: str = "2026-12-03") -> None:
    """Record that `phone` agreed to `clinic`'s texts, as the form does."""
    from booking.models import SmsConsent

    db.session.add(SmsConsent(clinic_id=clinic.id, phone=phone, text_version=version, source="request_form"))
    db.session.commit()
