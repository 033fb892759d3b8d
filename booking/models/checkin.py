"""Pre-visit check-ins and the questionnaires answered with them; which instruments each service asks.

A submitted check-in is never edited: a correction is a new row, and the one it replaces
points to it (`superseded_by_id`, `is_current` false). At most one check-in per visit is
current (a partial unique index), and a superseded one is never current (a CHECK).
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from booking.limits import CHECKIN_OPENS_HOURS, MEDICATION_CHANGE_CHARS
from booking.models.base import Base, UTCDateTime, str_enum, utcnow
from booking.models.language import Language


class Instrument(enum.Enum):
    """A questionnaire a service may ask for; the value is what is stored."""

    PHQ9 = "phq9"
    GAD7 = "gad7"
    PCL5 = "pcl5"
    PAIN = "pain"  # PEG: pain intensity, interference with enjoyment of life and with general activity


class CheckIn(Base):
    """What a patient confirmed before one visit: fasting, driver, medication changes."""

    __tablename__ = "checkin"
    __table_args__ = (
        ForeignKeyConstraint(["clinic_id", "patient_id"], ["patient.clinic_id", "patient.id"], ondelete="CASCADE"),
        # A superseded check-in is never current (the pointer is set just after its successor's insert).
        CheckConstraint("NOT is_current OR superseded_by_id IS NULL", name="current"),
        CheckConstraint(f"length(medication_change) <= {MEDICATION_CHANGE_CHARS}", name="medication_change"),
        CheckConstraint("NOT self_harm OR needs_clinician", name="self_harm_needs_clinician"),
        Index("uq_checkin_current", "appointment_id", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
        Index("ix_checkin_clinic_flagged", "clinic_id", "needs_clinician", "acknowledged_at"),
        Index("ix_checkin_patient", "clinic_id", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id", ondelete="CASCADE"))
    patient_id: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    language: Mapped[Language] = mapped_column(str_enum(Language, "checkin_language", length=8, constrained=False),
                                               default=Language.EN)
    fasting_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    driver_name: Mapped[str] = mapped_column(String(120), default="")
    driver_phone: Mapped[str] = mapped_column(String(20), default="")
    driver_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    medication_change: Mapped[str] = mapped_column(Text, default="")
    # Any answer above zero on PHQ-9 item 9: crisis resources shown, urgent flag raised.
    self_harm: Mapped[bool] = mapped_column(Boolean, default=False)
    # A medication change or the self-harm answer: a clinician must acknowledge it.
    needs_clinician: Mapped[bool] = mapped_column(Boolean, default=False)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("checkin.id"))


class QuestionnaireResponse(Base):
    """One questionnaire answered with a check-in: the instrument and version, answers and score."""

    __tablename__ = "questionnaire_response"
    __table_args__ = (
        UniqueConstraint("checkin_id", "instrument"),
        CheckConstraint("total >= 0", name="total"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id", ondelete="CASCADE"))
    instrument: Mapped[Instrument] = mapped_column(str_enum(Instrument, "instrument", length=16))
    version: Mapped[str] = mapped_column(String(32))
    answers: Mapped[list[Any]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    band: Mapped[str | None] = mapped_column(String(60))


class ServiceQuestionnaire(Base):
    """An instrument a service asks for at check-in (a clinic setting)."""

    __tablename__ = "service_questionnaire"
    __table_args__ = (
        UniqueConstraint("service_id", "instrument"),
        ForeignKeyConstraint(["clinic_id", "service_id"], ["service.clinic_id", "service.id"], ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(Integer)
    instrument: Mapped[Instrument] = mapped_column(str_enum(Instrument, "service_instrument", length=16))


class CheckinSettings(Base):
    """A clinic's check-in settings; without a row, the defaults in booking/domain/checkins.py."""

    __tablename__ = "checkin_settings"
    __table_args__ = (CheckConstraint(CHECKIN_OPENS_HOURS.check("opens_hours_before"), name="opens_hours"),)

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), primary_key=True)
    opens_hours_before: Mapped[int] = mapped_column(Integer, default=48)
