"""Patients and their consultation requests."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.folding import fold
from booking.limits import CAMPAIGN_TEXT
from booking.models.base import Base, UTCDateTime, str_enum, utcnow
from booking.models.language import Language


class Patient(Base):
    """A person known to one clinic."""

    __tablename__ = "patient"
    __table_args__ = (
        UniqueConstraint("clinic_id", "id"),
        Index("ix_patient_clinic_email", "clinic_id", "email"),
        # Name search: trigrams on PostgreSQL (pg_trgm), a plain index elsewhere.
        Index("ix_patient_search_name", "search_name", postgresql_using="gin",
              postgresql_ops={"search_name": "gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20))  # E.164
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    # The name folded for search (lower case, no accents), kept in step with full_name.
    search_name: Mapped[str] = mapped_column(String(120), default="")
    # Every message to the patient is written in this language.
    language: Mapped[Language] = mapped_column(
        str_enum(Language, "patient_language", length=8, constrained=False), default=Language.EN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when an admin erased the patient: their details are gone, the counts remain.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def first_name(self) -> str:
        """What messages greet the patient by."""
        return self.full_name.split()[0]


class Concern(enum.Enum):
    """What a patient seeks help with."""

    DEPRESSION = "depression"
    ANXIETY = "anxiety"
    PTSD = "ptsd"
    CHRONIC_PAIN = "chronic_pain"
    MIGRAINE = "migraine"
    OTHER = "other"


class Answer(enum.Enum):
    """A screening answer; anything but "no" routes to a clinician."""

    NO = "no"
    YES = "yes"
    UNSURE = "unsure"


class RequestStatus(enum.Enum):
    """Where a consultation request stands in the front desk's queue."""

    NEW = "new"
    NEEDS_REVIEW = "needs_review"
    CONTACTED = "contacted"
    SCHEDULED = "scheduled"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ReviewDecision(enum.Enum):
    """A clinician's decision on a flagged request."""

    CLEARED = "cleared"
    DECLINED = "declined"
    NEEDS_CALL = "needs_call"


# booking.domain.embedding.CAMPAIGN_FIELDS, as columns of a request.
CAMPAIGN_COLUMNS = ("source", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


class ConsultationRequest(Base):
    """A prospective patient's request for a first consultation."""

    __tablename__ = "consultation_request"
    __table_args__ = (
        UniqueConstraint("clinic_id", "id"),
        ForeignKeyConstraint(["clinic_id", "service_id"], ["service.clinic_id", "service.id"]),
        ForeignKeyConstraint(["clinic_id", "patient_id"], ["patient.clinic_id", "patient.id"]),
        Index("ix_consultation_request_queue", "clinic_id", "status", "created_at"),
        Index("ix_consultation_request_patient", "clinic_id", "patient_id"),
        # The same form sent twice (or ten times at once) is one request.
        UniqueConstraint("clinic_id", "form_key"),
        CheckConstraint("consent_privacy", name="privacy_consent"),
        CheckConstraint("consent_email OR consent_phone", name="contact_consent"),
        *(CheckConstraint(CAMPAIGN_TEXT.check(f"length({name})", nullable=True), name=f"{name}_length")
          for name in CAMPAIGN_COLUMNS),
        Index("ix_consultation_request_search_name", "search_name", postgresql_using="gin",
              postgresql_ops={"search_name": "gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(Integer)
    patient_id: Mapped[int | None] = mapped_column(Integer)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20))  # E.164
    date_of_birth: Mapped[date] = mapped_column(Date)
    search_name: Mapped[str] = mapped_column(String(120), default="")
    concern: Mapped[Concern] = mapped_column(str_enum(Concern, "concern"))
    concern_details: Mapped[str] = mapped_column(Text, default="")
    heart_condition: Mapped[Answer] = mapped_column(str_enum(Answer, "heart_condition_answer"))
    substance_misuse: Mapped[Answer] = mapped_column(str_enum(Answer, "substance_misuse_answer"))
    psychosis_or_mania: Mapped[Answer] = mapped_column(str_enum(Answer, "psychosis_or_mania_answer"))
    pregnancy: Mapped[Answer] = mapped_column(str_enum(Answer, "pregnancy_answer"))
    medications: Mapped[str] = mapped_column(Text, default="")
    support_person: Mapped[Answer] = mapped_column(str_enum(Answer, "support_person_answer"))
    call_me: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language the form was filled in; the acknowledgment and later messages use it.
    language: Mapped[Language] = mapped_column(
        str_enum(Language, "request_language", length=8, constrained=False), default=Language.EN
    )
    consent_privacy: Mapped[bool] = mapped_column(Boolean)
    consent_email: Mapped[bool] = mapped_column(Boolean)
    consent_phone: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, "request_status"), default=RequestStatus.NEW
    )
    needs_clinician_review: Mapped[bool] = mapped_column(Boolean, default=False)
    # Why the request needs review, e.g. ["heart_condition", "pregnancy"].
    review_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    review_decision: Mapped[ReviewDecision | None] = mapped_column(
        str_enum(ReviewDecision, "review_decision")
    )
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The request form's one-time key (see booking/public/forms.py); None for a form
    # posted without one, which then has no protection against a double submit.
    form_key: Mapped[str | None] = mapped_column(String(32))
    # Where the patient came from, as the page that sent them said (booking/domain/embedding.py).
    source: Mapped[str | None] = mapped_column(String(CAMPAIGN_TEXT.high))
    utm_source: Mapped[str | None] = mapped_column(String(CAMPAIGN_TEXT.high))
    utm_medium: Mapped[str | None] = mapped_column(String(CAMPAIGN_TEXT.high))
    utm_campaign: Mapped[str | None] = mapped_column(String(CAMPAIGN_TEXT.high))
    utm_term: Mapped[str | None] = mapped_column(String(CAMPAIGN_TEXT.high))
    utm_content: Mapped[str | None] = mapped_column(String(CAMPAIGN_TEXT.high))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    preferred_times: Mapped[list[PreferredTime]] = relationship(
        order_by="PreferredTime.rank", cascade="all, delete-orphan"
    )


class PreferredTime(Base):
    """One of up to three start times a patient would like."""

    __tablename__ = "preferred_time"
    __table_args__ = (
        UniqueConstraint("request_id", "rank"),
        UniqueConstraint("request_id", "starts_at"),
        ForeignKeyConstraint(
            ["clinic_id", "request_id"],
            ["consultation_request.clinic_id", "consultation_request.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("rank BETWEEN 1 AND 3", name="rank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _fold_name(_mapper: object, _connection: object, target: Patient | ConsultationRequest) -> None:
    target.search_name = fold(target.full_name or "")[:120]


for _model in (Patient, ConsultationRequest):
    event.listen(_model, "before_insert", _fold_name)
    event.listen(_model, "before_update", _fold_name)
# Trigram indexes need the extension before the tables are made (tests build them with create_all).
event.listen(
    Patient.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
