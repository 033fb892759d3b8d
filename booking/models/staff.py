"""Staff accounts, their clinics and roles, and the audit log of what they do."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from booking.models.clinic import Clinic


class Role(enum.Enum):
    """What a staff member is at one clinic."""

    FRONT_DESK = "front_desk"
    CLINICIAN = "clinician"
    ADMIN = "admin"


class StaffUser(Base):
    """A person who logs in to the dashboard."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    # Bumped at logout: every session cookie issued before stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", order_by="Membership.id"
    )

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Session identity: the id plus the session version."""
        return f"{self.id}:{self.session_version}"

    def role_at(self, clinic_id: int) -> Role | None:
        """This person's role at a clinic, or None if not a member."""
        return next((m.role for m in self.memberships if m.clinic_id == clinic_id), None)


class Membership(Base):
    """A staff member's role at one clinic."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("staff_id", "clinic_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))

    staff: Mapped[StaffUser] = relationship(back_populates="memberships")
    clinic: Mapped[Clinic] = relationship()


class AuditEvent(Base):
    """Who did what to which record, when. The app only ever inserts these."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_clinic_at", "clinic_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
