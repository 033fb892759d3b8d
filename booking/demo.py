"""Demo clinics for trying the service locally. Idempotent: run as often as you like."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from booking.demo_texts import seed_demo_texts
from booking.demo_today import seed_today
from booking.domain.availability import local_instant
from booking.extensions import db
from booking.models import (
    Appointment,
    Chair,
    ChairKind,
    Clinic,
    Closure,
    Instrument,
    Membership,
    OpeningHours,
    Patient,
    PrevisitInstructions,
    Role,
    Service,
    ServiceKind,
    ServiceMode,
    ServiceQuestionnaire,
    StaffUser,
)

SERVICES: list[dict[str, Any]] = [
    dict(slug="initial-consultation", name="Initial consultation (in person)", kind=ServiceKind.CONSULTATION,
         mode=ServiceMode.IN_PERSON, duration_minutes=45, recovery_minutes=0, needs_chair=False, public=True,
         description="Meet a clinician to review your history, medications and goals, "
                     "and decide together whether infusions suit you."),
    dict(slug="video-consultation", name="Initial consultation (video)", kind=ServiceKind.CONSULTATION,
         mode=ServiceMode.VIDEO, duration_minutes=45, recovery_minutes=0, needs_chair=False, public=True,
         description="The same first consultation from home, by secure video."),
    dict(slug="infusion-mood", name="IV infusion for depression, anxiety or PTSD", kind=ServiceKind.INFUSION,
         duration_minutes=60, recovery_minutes=45, needs_chair=True,
         description="About 60 minutes in a monitored chair, then time to rest until the effects wear off."),
    dict(slug="infusion-pain", name="IV infusion for chronic pain", kind=ServiceKind.INFUSION,
         duration_minutes=180, recovery_minutes=60, needs_chair=True,
         description="A longer infusion of 2 to 4 hours for conditions such as CRPS, fibromyalgia or neuropathic pain."),
    dict(slug="booster", name="Booster infusion", kind=ServiceKind.INFUSION,
         duration_minutes=60, recovery_minutes=45, needs_chair=True,
         description="A maintenance infusion after a completed series."),
]

INFUSION_INSTRUCTIONS = dict(
    fasting_hours=6,
    clear_liquids_hours=2,
    medication_review=(
        "Bring a list of every medication and supplement you take. Keep taking them unless a "
        "clinician has told you otherwise: some (for example benzodiazepines or lamotrigine) "
        "may be adjusted before an infusion, but only on our advice."
    ),
    driver_required=True,
    support_person_text=(
        "You must not drive for the rest of the day after an infusion. Arrange an adult to "
        "come with you or to collect you; a taxi or rideshare on your own is not allowed."
    ),
    other="Wear comfortable clothes and bring headphones if you like music. Please arrive 15 minutes early.",
)

CONSULT_INSTRUCTIONS = dict(
    fasting_hours=None,
    clear_liquids_hours=None,
    medication_review="Bring a list of your current medications and doses, and any recent treatment records.",
    driver_required=False,
    support_person_text="You are welcome to bring a support person to your consultation.",
    other="Allow about an hour. If you booked a video consultation, find a private, quiet place.",
)

CLINICS: list[dict[str, Any]] = [
    dict(
        slug="riverside-infusion",
        name="Riverside Infusion Center",
        timezone="America/Chicago",
        address="1200 W River Rd, Suite 300, Chicago, IL 60607",
        phone="+1 312-555-0142",
        email="frontdesk@riverside-infusion.example",
        intro="Ketamine infusion therapy for treatment-resistant depression, anxiety, PTSD and chronic pain, "
              "in a calm private setting by the river.",
        slot_step_minutes=30,
        min_notice_minutes=12 * 60,
        horizon_days=60,
        chairs=4,
        hours={d: [(time(8), time(12)), (time(13), time(18))] for d in range(5)} | {5: [(time(9), time(13))]},
    ),
    dict(
        slug="harbor-ketamine",
        name="Harbor Ketamine Clinic",
        timezone="America/New_York",
        address="45 Harbor St, Boston, MA 02210",
        phone="+1 617-555-0188",
        email="hello@harbor-ketamine.example",
        intro="A small clinic offering supervised ketamine infusions, with a clinician present throughout.",
        slot_step_minutes=30,
        min_notice_minutes=24 * 60,
        horizon_days=45,
        chairs=2,
        hours={d: [(time(9), time(17))] for d in range(1, 6)},
    ),
]


def _upsert(model: type, where: dict[str, Any], values: dict[str, Any]) -> Any:
    row = db.session.scalar(select(model).filter_by(**where))
    if row is None:
        row = model(**where)
        db.session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.flush()
    return row


def _thanksgiving(today: date) -> date:
    for year in (today.year, today.year + 1):
        first = date(year, 11, 1)
        day = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
        if day >= today:
            return day
    raise AssertionError("unreachable")


def _seed_clinic(spec: dict[str, Any], today: date) -> Clinic:
    fields = {k: v for k, v in spec.items() if k not in ("slug", "chairs", "hours")}
    clinic = _upsert(Clinic, {"slug": spec["slug"]}, fields)
    services = {
        s["slug"]: _upsert(Service, {"clinic_id": clinic.id, "slug": s["slug"]}, {**s, "sort_order": i})
        for i, s in enumerate(SERVICES)
    }
    for n in range(1, spec["chairs"] + 1):
        _upsert(Chair, {"clinic_id": clinic.id, "name": f"Chair {n}"}, {"kind": ChairKind.INFUSION})
    _upsert(Chair, {"clinic_id": clinic.id, "name": "Consult room"}, {"kind": ChairKind.CONSULT})
    if not db.session.scalar(select(OpeningHours).filter_by(clinic_id=clinic.id)):
        for weekday, ranges in spec["hours"].items():
            for opens, closes in ranges:
                db.session.add(OpeningHours(clinic_id=clinic.id, weekday=weekday, opens=opens, closes=closes))
    holiday = _thanksgiving(today)
    _upsert(Closure, {"clinic_id": clinic.id, "reason": "Thanksgiving"},
            {"start_date": holiday, "end_date": holiday + timedelta(days=1)})
    _upsert(PrevisitInstructions, {"clinic_id": clinic.id, "service_id": None}, INFUSION_INSTRUCTIONS)
    for slug in ("initial-consultation", "video-consultation"):
        _upsert(PrevisitInstructions, {"clinic_id": clinic.id, "service_id": services[slug].id}, CONSULT_INSTRUCTIONS)
    _seed_questionnaires(clinic, services)
    _seed_appointments(clinic, services, today)
    return clinic


# Which questionnaires each demo service asks at check-in (the consultations give the baseline).
DEMO_QUESTIONNAIRES = {
    "initial-consultation": (Instrument.PHQ9, Instrument.GAD7),
    "video-consultation": (Instrument.PHQ9, Instrument.GAD7),
    "infusion-mood": (Instrument.PHQ9, Instrument.GAD7),
    "infusion-pain": (Instrument.PAIN,),
    "booster": (Instrument.PHQ9,),
}


def _seed_questionnaires(clinic: Clinic, services: dict[str, Service]) -> None:
    for slug, instruments in DEMO_QUESTIONNAIRES.items():
        for instrument in instruments:
            _upsert(ServiceQuestionnaire, {"clinic_id": clinic.id, "service_id": services[slug].id,
                                           "instrument": instrument}, {})


def _seed_appointments(clinic: Clinic, services: dict[str, Service], today: date) -> None:
    """A few booked infusions on the next working days so availability has gaps."""
    if db.session.scalar(select(Appointment).filter_by(clinic_id=clinic.id)):
        return
    zone = clinic.zone
    names = ["Alex Demo", "Sam Example", "Jordan Sample", "Casey Placeholder"]
    patients = []
    for i, name in enumerate(names):
        patient = Patient(clinic_id=clinic.id, full_name=name, email=f"patient{i + 1}@example.com",
                          phone=f"+1312555{170 + i:04d}", date_of_birth=date(1980 + i, 1 + i, 10))
        db.session.add(patient)
        patients.append(patient)
    db.session.flush()
    chairs = [c for c in clinic.chairs if c.kind is ChairKind.INFUSION]
    # Full days only (a short Saturday has no 8:00 and no room around 10:00).
    earliest = min(h.opens for h in clinic.opening_hours)
    full_days = {h.weekday for h in clinic.opening_hours if h.opens == earliest}
    days = [today + timedelta(days=n) for n in range(2, 21) if (today + timedelta(days=n)).weekday() in full_days][:4]
    mood = services["infusion-mood"]
    for day_index, day in enumerate(days):
        # Every chair busy at 10:00 on the first days: that hour is full.
        for chair_index, chair in enumerate(chairs):
            if day_index > 1 and chair_index % 2:
                continue
            start = local_instant(day, time(10), zone)
            assert start is not None
            _book(clinic, mood, chair, patients[(day_index + chair_index) % len(patients)], start)


def _book(clinic: Clinic, service: Service, chair: Chair, patient: Patient, start: datetime) -> None:
    ends = start + timedelta(minutes=service.duration_minutes)
    db.session.add(Appointment(
        clinic_id=clinic.id, service_id=service.id, chair_id=chair.id, patient_id=patient.id,
        starts_at=start, ends_at=ends, blocked_until=ends + timedelta(minutes=service.recovery_minutes),
    ))


DEMO_STAFF = [
    ("frontdesk@demo.example", "demo-frontdesk-pass", Role.FRONT_DESK),
    ("clinician@demo.example", "demo-clinician-pass", Role.CLINICIAN),
    ("admin@demo.example", "demo-admin-pass", Role.ADMIN),
]


def _seed_staff(clinics: list[Clinic]) -> None:
    for email, password, role in DEMO_STAFF:
        user = db.session.scalar(select(StaffUser).filter_by(email=email))
        if user is None:
            user = StaffUser(email=email, full_name=f"Demo {role.value.replace('_', ' ')}",
                             password_hash=generate_password_hash(password))
            db.session.add(user)
        for clinic in clinics:
            if user.role_at(clinic.id) is None:
                user.memberships.append(Membership(clinic_id=clinic.id, role=role))
    db.session.flush()


def seed_demo(today: date, now: datetime | None = None) -> list[Clinic]:
    """Create or refresh the demo clinics and demo staff, with a busy day on each clinic's today; the caller commits."""
    now = now or datetime.now(timezone.utc)
    clinics = [_seed_clinic(spec, today) for spec in CLINICS]
    for clinic in clinics:
        seed_today(clinic, now)
    _seed_staff(clinics)
    seed_demo_texts(clinics[0], now)
    return clinics
