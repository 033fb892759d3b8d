"""Appointments: a service given to a patient in a chair at a time."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    literal_column,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, UTCDateTime, str_enum, utcnow
from booking.models.clinic import Chair, Service
from booking.models.patient import Patient


class AppointmentStatus(enum.Enum):
    """Life cycle of an appointment."""

    BOOKED = "booked"
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Canceller(enum.Enum):
    """Who cancelled an appointment."""

    STAFF = "staff"
    PATIENT = "patient"


# Statuses whose appointment holds its chair.
OCCUPYING_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.ARRIVED,
    AppointmentStatus.COMPLETED,
)


class AppointmentSeries(Base):
    """Infusions booked together as one course."""

    __tablename__ = "appointment_series"
    __table_args__ = (
        ForeignKeyConstraint(["clinic_id", "patient_id"], ["patient.clinic_id", "patient.id"]),
        ForeignKeyConstraint(["clinic_id", "service_id"], ["service.clinic_id", "service.id"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


DRIVER_CONFIRMED_CHECK = (
    "driver_confirmed_at IS NULL OR (driver_name <> '' AND driver_phone <> '') OR driver_confirmed_with <> ''"
)

_OCCUPYING_SQL = ", ".join(f"'{s.value}'" for s in OCCUPYING_STATUSES)


class Appointment(Base):
    """A booked service; the chair is held from `starts_at` until `blocked_until`."""

    __tablename__ = "appointment"
    __table_args__ = (
        ForeignKeyConstraint(["clinic_id", "service_id"], ["service.clinic_id", "service.id"]),
        ForeignKeyConstraint(["clinic_id", "chair_id"], ["chair.clinic_id", "chair.id"]),
        ForeignKeyConstraint(["clinic_id", "patient_id"], ["patient.clinic_id", "patient.id"]),
        CheckConstraint("ends_at > starts_at", name="order"),
        CheckConstraint("blocked_until >= ends_at", name="recovery"),
        # A form's key is one clinic's: its lock serialises the look-up and the insert.
        UniqueConstraint("clinic_id", "idempotency_key"),
        CheckConstraint("(idempotency_key IS NULL) = (idempotency_fingerprint IS NULL)", name="key_fingerprint"),
        # "Driver confirmed" stands only above a named driver with a phone, or a note of whom staff spoke to.
        CheckConstraint(DRIVER_CONFIRMED_CHECK, name="driver_confirmed"),
        ForeignKeyConstraint(
            ["clinic_id", "request_id"], ["consultation_request.clinic_id", "consultation_request.id"]
        ),
        ForeignKeyConstraint(
            ["series_id"], ["appointment_series.id"], ondelete="SET NULL"
        ),
        # Windowed look-ups: one chair's day, one clinic's day, one patient's history.
        Index("ix_appointment_chair_start", "chair_id", "starts_at"),
        Index("ix_appointment_clinic_start", "clinic_id", "starts_at"),
        Index("ix_appointment_patient", "clinic_id", "patient_id", "starts_at"),
        # The queue's "cancelled by the patient" list: recent cancellations first.
        Index("ix_appointment_clinic_cancelled", "clinic_id", "cancelled_at"),
        # No two occupying appointments may hold one chair at once, recovery included.
        ExcludeConstraint(
            (literal_column("chair_id"), "="),
            (literal_column("tstzrange(starts_at, blocked_until, '[)')"), "&&"),
            using="gist",
            where=f"status IN ({_OCCUPYING_SQL})",
            name="ex_appointment_chair_overlap",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(Integer)
    chair_id: Mapped[int] = mapped_column(Integer)
    patient_id: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # End of the service plus recovery: the chair is not free before this.
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[AppointmentStatus] = mapped_column(
        str_enum(AppointmentStatus, "appointment_status"), default=AppointmentStatus.BOOKED
    )
    request_id: Mapped[int | None] = mapped_column(Integer)
    series_id: Mapped[int | None] = mapped_column(Integer)
    # Bumped by every reschedule, so reminders and calendar updates can tell versions apart.
    version: Mapped[int] = mapped_column(Integer, default=1)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[Canceller | None] = mapped_column(str_enum(Canceller, "canceller"))
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    # A form's one-time key: submitting the same form twice books once.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    # What the key stood for when it booked (booking/domain/booking_keys.py): the same
    # key with another patient, service, time, chair or request is refused.
    idempotency_fingerprint: Mapped[str | None] = mapped_column(String(64))
    patient_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    driver_name: Mapped[str] = mapped_column(String(120), default="")
    driver_phone: Mapped[str] = mapped_column(String(20), default="")
    driver_email: Mapped[str] = mapped_column(String(254), default="")
    # The patient agreed that the driver gets a note with the pickup time.
    driver_may_be_emailed: Mapped[bool] = mapped_column(Boolean, default=False)
    driver_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff confirmed the driver by phone with this person, without the driver's details.
    driver_confirmed_with: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # When staff (or the patient) last changed the status: undo is allowed that clinic day.
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The patient answered the day-before readiness text: fasting as planned, driver arranged.
    ready_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    service: Mapped[Service] = relationship(
        foreign_keys=[service_id], primaryjoin="Appointment.service_id == Service.id", viewonly=True
    )
    chair: Mapped[Chair] = relationship(
        foreign_keys=[chair_id], primaryjoin="Appointment.chair_id == Chair.id", viewonly=True
    )
    patient: Mapped[Patient] = relationship(
        foreign_keys=[patient_id], primaryjoin="Appointment.patient_id == Patient.id", viewonly=True
    )


class ManageToken(Base):
    """A secret link to one appointment's page; only the token's hash is kept."""

    __tablename__ = "manage_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChangeRequestStatus(enum.Enum):
    """A patient's request to move an appointment, as the front desk handles it."""

    OPEN = "open"
    DONE = "done"
    DISMISSED = "dismissed"


class ChangeRequest(Base):
    """A patient asked, from their appointment page, to move to other times."""

    __tablename__ = "change_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id", ondelete="CASCADE"))
    # Up to three ISO 8601 start times with offsets, in the patient's order.
    preferred_times: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ChangeRequestStatus] = mapped_column(
        str_enum(ChangeRequestStatus, "change_request_status"), default=ChangeRequestStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The exclusion constraint compares chair ids with a GiST index, which needs btree_gist.
event.listen(
    Appointment.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)
