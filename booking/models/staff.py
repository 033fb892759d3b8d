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


class AuditAction(enum.Enum):
    """Everything the audit log records; the values are what is stored."""

    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_RESCHEDULED = "appointment_rescheduled"
    APPOINTMENT_CONFIRMED = "appointment_confirmed"
    APPOINTMENT_ARRIVED = "appointment_arrived"
    APPOINTMENT_COMPLETED = "appointment_completed"
    APPOINTMENT_NO_SHOW = "appointment_no_show"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_CONFIRMED_BY_PATIENT = "appointment_confirmed_by_patient"
    APPOINTMENT_CANCELLED_BY_PATIENT = "appointment_cancelled_by_patient"
    APPOINTMENT_REBOOKED_BY_PATIENT = "appointment_rebooked_by_patient"
    RESCHEDULE_REQUESTED = "reschedule_requested"
    CHANGE_REQUEST_DONE = "change_request_done"
    DRIVER_DETAILS_SAVED = "driver_details_saved"
    DRIVER_CONFIRMED = "driver_confirmed"
    CONSULT_FIRST_OVERRIDE = "consult_first_override"
    SERIES_BOOKED = "series_booked"
    REQUEST_VIEWED = "request_viewed"
    REQUEST_SCHEDULED = "request_scheduled"
    REQUEST_REVIEWED = "request_reviewed"
    REQUEST_NEW = "request_new"
    REQUEST_CONTACTED = "request_contacted"
    REQUEST_DECLINED = "request_declined"
    REQUEST_WITHDRAWN = "request_withdrawn"
    PATIENT_VIEWED = "patient_viewed"
    APPOINTMENTS_EXPORTED = "appointments_exported"
    MESSAGE_RETRIED = "message_retried"
    SETTINGS_RULES_CHANGED = "settings_rules_changed"
    SETTINGS_HOURS_ADDED = "settings_hours_added"
    SETTINGS_HOURS_DELETED = "settings_hours_deleted"
    SETTINGS_CLOSURE_ADDED = "settings_closure_added"
    SETTINGS_CLOSURE_DELETED = "settings_closure_deleted"
    SETTINGS_CHAIR_ADDED = "settings_chair_added"
    SETTINGS_CHAIR_RENAMED = "settings_chair_renamed"
    SETTINGS_CHAIR_ACTIVATED = "settings_chair_activated"
    SETTINGS_CHAIR_DEACTIVATED = "settings_chair_deactivated"
    SETTINGS_SERVICE_CHANGED = "settings_service_changed"
    SETTINGS_INSTRUCTIONS_CHANGED = "settings_instructions_changed"
    SETTINGS_INSTRUCTIONS_OVERRIDE_ADDED = "settings_instructions_override_added"
    SETTINGS_INSTRUCTIONS_OVERRIDE_REMOVED = "settings_instructions_override_removed"
    SETTINGS_MESSAGES_CHANGED = "settings_messages_changed"
    SMS_ANSWERED = "sms_answered"
    SMS_OPTED_OUT = "sms_opted_out"
    SMS_OPTED_IN = "sms_opted_in"
    APPOINTMENT_READY_BY_TEXT = "appointment_ready_by_text"

    @property
    def label(self) -> str:
        """The action in words, for the audit log page."""
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    AuditAction.APPOINTMENT_BOOKED: "Appointment booked",
    AuditAction.APPOINTMENT_RESCHEDULED: "Appointment moved",
    AuditAction.APPOINTMENT_CONFIRMED: "Appointment marked confirmed",
    AuditAction.APPOINTMENT_ARRIVED: "Patient marked arrived",
    AuditAction.APPOINTMENT_COMPLETED: "Appointment marked completed",
    AuditAction.APPOINTMENT_NO_SHOW: "Appointment marked no-show",
    AuditAction.APPOINTMENT_CANCELLED: "Appointment cancelled",
    AuditAction.APPOINTMENT_CONFIRMED_BY_PATIENT: "Patient confirmed attendance",
    AuditAction.APPOINTMENT_CANCELLED_BY_PATIENT: "Patient cancelled",
    AuditAction.APPOINTMENT_REBOOKED_BY_PATIENT: "Patient moved their appointment",
    AuditAction.RESCHEDULE_REQUESTED: "Patient asked for another time",
    AuditAction.CHANGE_REQUEST_DONE: "Patient's change request handled",
    AuditAction.DRIVER_DETAILS_SAVED: "Driver details saved by the patient",
    AuditAction.DRIVER_CONFIRMED: "Driver marked confirmed",
    AuditAction.CONSULT_FIRST_OVERRIDE: "Consult-first rule overridden",
    AuditAction.SERIES_BOOKED: "Infusion series booked",
    AuditAction.REQUEST_VIEWED: "Request viewed",
    AuditAction.REQUEST_SCHEDULED: "Request scheduled",
    AuditAction.REQUEST_REVIEWED: "Clinician review recorded",
    AuditAction.REQUEST_NEW: "Request back to new",
    AuditAction.REQUEST_CONTACTED: "Request marked contacted",
    AuditAction.REQUEST_DECLINED: "Request declined",
    AuditAction.REQUEST_WITHDRAWN: "Request withdrawn",
    AuditAction.PATIENT_VIEWED: "Patient record viewed",
    AuditAction.APPOINTMENTS_EXPORTED: "Appointments exported",
    AuditAction.MESSAGE_RETRIED: "Failed message retried",
    AuditAction.SETTINGS_RULES_CHANGED: "Booking rules changed",
    AuditAction.SETTINGS_HOURS_ADDED: "Opening hours added",
    AuditAction.SETTINGS_HOURS_DELETED: "Opening hours removed",
    AuditAction.SETTINGS_CLOSURE_ADDED: "Closure added",
    AuditAction.SETTINGS_CLOSURE_DELETED: "Closure removed",
    AuditAction.SETTINGS_CHAIR_ADDED: "Chair or room added",
    AuditAction.SETTINGS_CHAIR_RENAMED: "Chair or room renamed",
    AuditAction.SETTINGS_CHAIR_ACTIVATED: "Chair or room put back in use",
    AuditAction.SETTINGS_CHAIR_DEACTIVATED: "Chair or room taken out of use",
    AuditAction.SETTINGS_SERVICE_CHANGED: "Service changed",
    AuditAction.SETTINGS_INSTRUCTIONS_CHANGED: "Pre-visit instructions changed",
    AuditAction.SETTINGS_INSTRUCTIONS_OVERRIDE_ADDED: "Service's own instructions added",
    AuditAction.SETTINGS_INSTRUCTIONS_OVERRIDE_REMOVED: "Service's own instructions removed",
    AuditAction.SETTINGS_MESSAGES_CHANGED: "Message settings changed",
    AuditAction.SMS_ANSWERED: "Text answered",
    AuditAction.SMS_OPTED_OUT: "Number opted out of texts",
    AuditAction.SMS_OPTED_IN: "Number opted back in to texts",
    AuditAction.APPOINTMENT_READY_BY_TEXT: "Fasting and driver confirmed by text",
}


class AuditEvent(Base):
    """Who did what to which record, when. The app only ever inserts these."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_clinic_at", "clinic_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, "audit_action", length=60, constrained=False))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
