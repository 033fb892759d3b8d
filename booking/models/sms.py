"""Text messages: consent, opt-outs, replies received, and each clinic's message settings."""
from __future__ import annotations

import enum
from datetime import datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from booking.models.base import Base, UTCDateTime, str_enum, utcnow


class Channel(enum.Enum):
    """How an outbox message travels."""

    EMAIL = "email"
    SMS = "sms"


class ReminderChannels(enum.Enum):
    """What a clinic sends for one reminder: an email, a text, or both."""

    EMAIL = "email"
    SMS = "sms"
    BOTH = "both"

    @property
    def channels(self) -> frozenset[Channel]:
        """The channels this choice sends on."""
        if self is ReminderChannels.BOTH:
            return frozenset({Channel.EMAIL, Channel.SMS})
        return frozenset({Channel(self.value)})


class InboundKind(enum.Enum):
    """What a text a patient sent was taken as."""

    CONFIRM = "confirm"
    RESCHEDULE = "reschedule"
    STOP = "stop"
    START = "start"
    HELP = "help"
    OTHER = "other"  # lands in the SMS inbox


class SmsConsent(Base):
    """A number's consent to texts from one clinic, with the disclosure's version and when it was given."""

    __tablename__ = "sms_consent"
    __table_args__ = (Index("ix_sms_consent_clinic_phone", "clinic_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))  # E.164
    # Which disclosure text the patient saw (booking/domain/sms_consent.py).
    text_version: Mapped[str] = mapped_column(String(20))
    # Where it was given: "request_form" or "patient_page".
    source: Mapped[str] = mapped_column(String(20))
    request_id: Mapped[int | None] = mapped_column(Integer)
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SmsOptOut(Base):
    """A number that replied STOP (or a carrier keyword) to one clinic: it gets no texts from it."""

    __tablename__ = "sms_opt_out"
    __table_args__ = (UniqueConstraint("clinic_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    phone: Mapped[str] = mapped_column(String(20))
    opted_out_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SmsInbound(Base):
    """A text a number sent to a clinic; the provider's id makes a repeated webhook one message."""

    __tablename__ = "sms_inbound"
    __table_args__ = (Index("ix_sms_inbound_clinic_received", "clinic_id", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    provider_message_id: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(String(1600))
    kind: Mapped[InboundKind] = mapped_column(str_enum(InboundKind, "sms_inbound_kind", length=16, constrained=False))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id", ondelete="SET NULL"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ClinicMessaging(Base):
    """A clinic's message settings: channel per reminder, quiet hours, the readiness call time."""

    __tablename__ = "clinic_messaging"
    __table_args__ = (
        CheckConstraint("quiet_exempt_hours BETWEEN 0 AND 24", name="quiet_exempt"),
    )

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), primary_key=True)
    reminder_prep: Mapped[ReminderChannels] = mapped_column(
        str_enum(ReminderChannels, "reminder_prep_channels", length=8), default=ReminderChannels.EMAIL
    )
    reminder_evening: Mapped[ReminderChannels] = mapped_column(
        str_enum(ReminderChannels, "reminder_evening_channels", length=8), default=ReminderChannels.EMAIL
    )
    reminder_final: Mapped[ReminderChannels] = mapped_column(
        str_enum(ReminderChannels, "reminder_final_channels", length=8), default=ReminderChannels.EMAIL
    )
    # No text between these local times (start > end spans midnight; equal means none)...
    quiet_start: Mapped[time] = mapped_column(Time, default=time(21, 0))
    quiet_end: Mapped[time] = mapped_column(Time, default=time(8, 0))
    # ...except within this many hours before a visit.
    quiet_exempt_hours: Mapped[int] = mapped_column(Integer, default=3)
    # From this local time the day before, visits with no readiness answer are "call to confirm".
    readiness_call_at: Mapped[time] = mapped_column(Time, default=time(19, 0))

    @staticmethod
    def readiness_default() -> time:
        """When, the day before, unanswered visits become "call to confirm" by default."""
        return time(19, 0)
