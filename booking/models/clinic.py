"""A clinic (the tenant) and its calendar: services, chairs, hours, closures."""
from __future__ import annotations

import enum
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.limits import (
    ARRIVAL_WINDOW_MINUTES,
    EMBED_ORIGIN_LENGTH,
    HORIZON_DAYS,
    NO_SHOW_GRACE_MINUTES,
    RECOVERY_MINUTES,
    REMINDER_DAYS_BEFORE,
    REMINDER_HOURS_BEFORE,
    SERVICE_MINUTES,
    SLOT_STEP_MINUTES,
)
from booking.models.base import Base, UTCDateTime, str_enum, utcnow

RESERVED_SLUGS = ("api", "dashboard", "manage", "staff", "static")


class Clinic(Base):
    """A clinic: its public identity, timezone and booking rules."""

    __tablename__ = "clinic"
    __table_args__ = (
        CheckConstraint(SLOT_STEP_MINUTES.check("slot_step_minutes"), name="slot_step"),
        # These first path segments belong to the app, not to a clinic's page.
        CheckConstraint(f"slug NOT IN ({', '.join(repr(s) for s in RESERVED_SLUGS)})", name="reserved_slug"),
        CheckConstraint("min_notice_minutes >= 0", name="min_notice"),
        CheckConstraint(HORIZON_DAYS.check("horizon_days"), name="horizon"),
        CheckConstraint(REMINDER_DAYS_BEFORE.check("reminder_days_before", nullable=True), name="reminder_days"),
        CheckConstraint(REMINDER_HOURS_BEFORE.check("reminder_hours_before", nullable=True), name="reminder_hours"),
        CheckConstraint(ARRIVAL_WINDOW_MINUTES.check("arrival_window_minutes"), name="arrival_window"),
        CheckConstraint(NO_SHOW_GRACE_MINUTES.check("no_show_grace_minutes"), name="no_show_grace"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str] = mapped_column(String(32))
    email: Mapped[str] = mapped_column(String(254))
    # Region used to read phone numbers typed without a country code.
    phone_region: Mapped[str] = mapped_column(String(2), default="US")
    intro: Mapped[str] = mapped_column(Text, default="")
    slot_step_minutes: Mapped[int] = mapped_column(Integer, default=30)
    min_notice_minutes: Mapped[int] = mapped_column(Integer, default=24 * 60)
    horizon_days: Mapped[int] = mapped_column(Integer, default=60)
    # Public consultation requests book the first chosen time straight away.
    instant_booking: Mapped[bool] = mapped_column(Boolean, default=False)
    # Patients may move their own appointment to a free time (else staff decide).
    patients_can_rebook: Mapped[bool] = mapped_column(Boolean, default=False)
    # Babel locale for dates and times in pages and emails, e.g. en_US, en_GB.
    locale: Mapped[str] = mapped_column(String(16), default="en_US")
    # Reminder schedule: days before (with the checklist), the evening before, hours before.
    reminder_days_before: Mapped[int | None] = mapped_column(Integer, default=3)
    reminder_evening_before: Mapped[bool] = mapped_column(Boolean, default=True)
    reminder_hours_before: Mapped[int | None] = mapped_column(Integer, default=2)
    # The front desk's timing (booking/domain/appointment_flow.py): a patient may be marked
    # arrived from this many minutes before the start, and no-show this many after it.
    arrival_window_minutes: Mapped[int] = mapped_column(Integer, default=120, server_default="120")
    no_show_grace_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    # Bumped by every booking: the row lock that serialises a clinic's bookings.
    booking_counter: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    services: Mapped[list[Service]] = relationship(
        back_populates="clinic", order_by="Service.sort_order"
    )

    @property
    def zone(self) -> ZoneInfo:
        """The clinic's IANA timezone, in which its times are shown and computed."""
        return ZoneInfo(self.timezone)

    def today(self, now: datetime) -> date:
        """The calendar date in the clinic at the instant `now`."""
        return now.astimezone(self.zone).date()
    chairs: Mapped[list[Chair]] = relationship(back_populates="clinic", order_by="Chair.id")
    opening_hours: Mapped[list[OpeningHours]] = relationship(
        order_by="(OpeningHours.weekday, OpeningHours.opens)"
    )


class EmbedOrigin(Base):
    """A website origin (`https://www.clinic.example`) allowed to show the clinic's form in a frame.

    Stored as `booking.domain.embedding.normalise_origin` writes it, so the
    `frame-ancestors` header lists exactly what the admin allowed.
    """

    __tablename__ = "embed_origin"
    __table_args__ = (
        UniqueConstraint("clinic_id", "origin"),
        CheckConstraint(EMBED_ORIGIN_LENGTH.check("length(origin)"), name="origin_length"),
        CheckConstraint("origin LIKE 'https://%' OR origin LIKE 'http://localhost%' "
                        "OR origin LIKE 'http://127.0.0.1%'", name="origin_scheme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(EMBED_ORIGIN_LENGTH.high))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ServiceKind(enum.Enum):
    """Broad kind of a service; consultations come before any infusion."""

    CONSULTATION = "consultation"
    INFUSION = "infusion"


class ServiceMode(enum.Enum):
    """Where a service happens."""

    IN_PERSON = "in_person"
    VIDEO = "video"


class Service(Base):
    """Something a clinic books: a consultation, an infusion, a booster."""

    __tablename__ = "service"
    __table_args__ = (
        UniqueConstraint("clinic_id", "slug"),
        UniqueConstraint("clinic_id", "id"),
        CheckConstraint(SERVICE_MINUTES.check("duration_minutes"), name="duration"),
        CheckConstraint(RECOVERY_MINUTES.check("recovery_minutes"), name="recovery"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ServiceKind] = mapped_column(str_enum(ServiceKind, "service_kind"))
    mode: Mapped[ServiceMode] = mapped_column(
        str_enum(ServiceMode, "service_mode"), default=ServiceMode.IN_PERSON
    )
    duration_minutes: Mapped[int] = mapped_column(Integer)
    # Observation time after the service during which the chair stays occupied.
    recovery_minutes: Mapped[int] = mapped_column(Integer, default=0)
    needs_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    clinic: Mapped[Clinic] = relationship(back_populates="services")

    @property
    def email_label(self) -> str:
        """A name safe for email: service names can reveal a condition ("infusion for pain")."""
        if self.kind is ServiceKind.CONSULTATION:
            return "Video consultation" if self.mode is ServiceMode.VIDEO else "Consultation"
        return "Treatment visit"

    @property
    def chair_kind(self) -> ChairKind:
        """The kind of resource this service occupies."""
        return ChairKind.INFUSION if self.needs_chair else ChairKind.CONSULT


class ChairKind(enum.Enum):
    """Infusion chairs take infusions; consult rooms take consultations."""

    INFUSION = "infusion"
    CONSULT = "consult"


class Chair(Base):
    """A unit of capacity: an infusion chair, or a consultation room."""

    __tablename__ = "chair"
    __table_args__ = (UniqueConstraint("clinic_id", "name"), UniqueConstraint("clinic_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[ChairKind] = mapped_column(
        str_enum(ChairKind, "chair_kind"), default=ChairKind.INFUSION
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    clinic: Mapped[Clinic] = relationship(back_populates="chairs")


class OpeningHours(Base):
    """One opening range on a weekday, in the clinic's local time (Monday is 0)."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


class Closure(Base):
    """A time the clinic is shut: whole local dates, or an exact UTC period."""

    __tablename__ = "closure"
    __table_args__ = (
        CheckConstraint(
            "(start_date IS NOT NULL AND end_date IS NOT NULL AND end_date >= start_date"
            " AND starts_at IS NULL AND ends_at IS NULL)"
            " OR (starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at > starts_at"
            " AND start_date IS NULL AND end_date IS NULL)",
            name="dates_or_period",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)  # inclusive
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200), default="")


class PrevisitInstructions(Base):
    """How to prepare; the row with no service is the clinic's default."""

    __tablename__ = "previsit_instructions"
    __table_args__ = (
        UniqueConstraint("clinic_id", "service_id"),
        ForeignKeyConstraint(
            ["clinic_id", "service_id"], ["service.clinic_id", "service.id"], ondelete="CASCADE"
        ),
        CheckConstraint("fasting_hours IS NULL OR fasting_hours BETWEEN 0 AND 24", name="fasting"),
        CheckConstraint(
            "clear_liquids_hours IS NULL OR clear_liquids_hours BETWEEN 0 AND 24",
            name="clear_liquids",
        ),
        # NULLs are distinct in a unique constraint, so the default row needs its own index.
        Index(
            "uq_previsit_instructions_default",
            "clinic_id",
            unique=True,
            sqlite_where=text("service_id IS NULL"),
            postgresql_where=text("service_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int | None] = mapped_column(Integer)
    # No food for this many hours before the start; None means no fasting.
    fasting_hours: Mapped[int | None] = mapped_column(Integer)
    # Clear liquids allowed until this many hours before the start.
    clear_liquids_hours: Mapped[int | None] = mapped_column(Integer)
    medication_review: Mapped[str] = mapped_column(Text, default="")
    driver_required: Mapped[bool] = mapped_column(Boolean, default=False)
    support_person_text: Mapped[str] = mapped_column(Text, default="")
    other: Mapped[str] = mapped_column(Text, default="")
