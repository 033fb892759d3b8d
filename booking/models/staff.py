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
    # Two-factor sign-in (TOTP, RFC 6238): the base32 secret (on once totp_enabled_at is
    # set: before that, an enrolment waiting for its first code), and the last time step
    # accepted, so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

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

    @property
    def two_factor_on(self) -> bool:
        """Signing in takes a code too (a secret alone is an enrolment not yet confirmed)."""
        return self.totp_secret is not None and self.totp_enabled_at is not None

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
    APPOINTMENT_STATUS_UNDONE = "appointment_status_undone"
    APPOINTMENT_CONFIRMED_BY_PATIENT = "appointment_confirmed_by_patient"
    APPOINTMENT_CANCELLED_BY_PATIENT = "appointment_cancelled_by_patient"
    APPOINTMENT_REBOOKED_BY_PATIENT = "appointment_rebooked_by_patient"
    RESCHEDULE_REQUESTED = "reschedule_requested"
    CHANGE_REQUEST_DONE = "change_request_done"
    DRIVER_DETAILS_SAVED = "driver_details_saved"
    DRIVER_CONFIRMED = "driver_confirmed"
    DRIVER_UNCONFIRMED = "driver_unconfirmed"
    CHANGE_REQUEST_DECLINED = "change_request_declined"
    CONSULT_FIRST_OVERRIDE = "consult_first_override"
    SERIES_BOOKED = "series_booked"
    REQUEST_VIEWED = "request_viewed"
    REQUEST_SCHEDULED = "request_scheduled"
    REQUEST_REVIEWED = "request_reviewed"
    REQUEST_NEW = "request_new"
    REQUEST_CONTACTED = "request_contacted"
    REQUEST_DECLINED = "request_declined"
    REQUEST_WITHDRAWN = "request_withdrawn"
    REQUEST_MERGED = "request_merged"
    PATIENT_VIEWED = "patient_viewed"
    APPOINTMENTS_EXPORTED = "appointments_exported"
    MESSAGE_RETRIED = "message_retried"
    SETTINGS_RULES_CHANGED = "settings_rules_changed"
    SETTINGS_FRONT_DESK_CHANGED = "settings_front_desk_changed"
    SETTINGS_CLINIC_CHANGED = "settings_clinic_changed"
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
    SETTINGS_EMBED_ORIGIN_ADDED = "settings_embed_origin_added"
    SETTINGS_EMBED_ORIGIN_REMOVED = "settings_embed_origin_removed"
    RETENTION_PURGE = "retention_purge"
    RETENTION_POLICY_CHANGED = "retention_policy_changed"
    PATIENT_EXPORTED = "patient_exported"
    PATIENT_ERASED = "patient_erased"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    ACCOUNT_UNLOCKED = "account_unlocked"
    PASSWORD_RESET = "password_reset"
    CHECKIN_SUBMITTED = "checkin_submitted"
    CHECKIN_VIEWED = "checkin_viewed"
    CHECKIN_ACKNOWLEDGED = "checkin_acknowledged"
    SETTINGS_CHECKIN_CHANGED = "settings_checkin_changed"
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
    AuditAction.APPOINTMENT_STATUS_UNDONE: "Status change undone",
    AuditAction.APPOINTMENT_CONFIRMED_BY_PATIENT: "Patient confirmed attendance",
    AuditAction.APPOINTMENT_CANCELLED_BY_PATIENT: "Patient cancelled",
    AuditAction.APPOINTMENT_REBOOKED_BY_PATIENT: "Patient moved their appointment",
    AuditAction.RESCHEDULE_REQUESTED: "Patient asked for another time",
    AuditAction.CHANGE_REQUEST_DONE: "Patient's change request handled",
    AuditAction.DRIVER_DETAILS_SAVED: "Driver details saved by the patient",
    AuditAction.DRIVER_CONFIRMED: "Driver marked confirmed",
    AuditAction.DRIVER_UNCONFIRMED: "Driver confirmation taken back",
    AuditAction.CHANGE_REQUEST_DECLINED: "Patient's change request declined",
    AuditAction.CONSULT_FIRST_OVERRIDE: "Consult-first rule overridden",
    AuditAction.SERIES_BOOKED: "Infusion series booked",
    AuditAction.REQUEST_VIEWED: "Request viewed",
    AuditAction.REQUEST_SCHEDULED: "Request scheduled",
    AuditAction.REQUEST_REVIEWED: "Clinician review recorded",
    AuditAction.REQUEST_NEW: "Request back to new",
    AuditAction.REQUEST_CONTACTED: "Request marked contacted",
    AuditAction.REQUEST_DECLINED: "Request declined",
    AuditAction.REQUEST_WITHDRAWN: "Request withdrawn",
    AuditAction.REQUEST_MERGED: "Request merged into an existing patient",
    AuditAction.PATIENT_VIEWED: "Patient record viewed",
    AuditAction.APPOINTMENTS_EXPORTED: "Appointments exported",
    AuditAction.MESSAGE_RETRIED: "Failed message retried",
    AuditAction.SETTINGS_RULES_CHANGED: "Booking rules changed",
    AuditAction.SETTINGS_FRONT_DESK_CHANGED: "Front desk timing changed",
    AuditAction.SETTINGS_CLINIC_CHANGED: "Rebooking, locale or phone region changed",
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
    AuditAction.SETTINGS_EMBED_ORIGIN_ADDED: "Website allowed to embed the form",
    AuditAction.SETTINGS_EMBED_ORIGIN_REMOVED: "Website no longer allowed to embed the form",
    AuditAction.RETENTION_PURGE: "Old data removed (retention)",
    AuditAction.RETENTION_POLICY_CHANGED: "Retention periods changed",
    AuditAction.PATIENT_EXPORTED: "Patient's data exported",
    AuditAction.PATIENT_ERASED: "Patient erased",
    AuditAction.TWO_FACTOR_ENABLED: "Two-factor sign-in turned on",
    AuditAction.TWO_FACTOR_DISABLED: "Two-factor sign-in turned off",
    AuditAction.ACCOUNT_UNLOCKED: "Staff sign-in unlocked",
    AuditAction.PASSWORD_RESET: "Password reset by email",
    AuditAction.CHECKIN_SUBMITTED: "Patient checked in",
    AuditAction.CHECKIN_VIEWED: "Check-in answers viewed",
    AuditAction.CHECKIN_ACKNOWLEDGED: "Check-in flag acknowledged by a clinician",
    AuditAction.SETTINGS_CHECKIN_CHANGED: "Check-in settings changed",
    AuditAction.SETTINGS_MESSAGES_CHANGED: "Message settings changed",
    AuditAction.SMS_ANSWERED: "Text answered",
    AuditAction.SMS_OPTED_OUT: "Number opted out of texts",
    AuditAction.SMS_OPTED_IN: "Number opted back in to texts",
    AuditAction.APPOINTMENT_READY_BY_TEXT: "Fasting and driver confirmed by text",
}


class AuditEvent(Base):
    """Who did what to which record, when. The app only ever inserts these.

    On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE (booking/models/audit_guard.py);
    a clinic or a staff member with audit rows cannot be deleted (RESTRICT), and the actor's
    name is kept as it was written at the time.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_clinic_at", "clinic_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="RESTRICT"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="RESTRICT"))
    # The actor's name when it happened (a later rename or removal does not change it).
    actor_name: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, "audit_action", length=60, constrained=False))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RecoveryCode(Base):
    """A single-use code that stands in for the second factor; only its hash is kept."""

    __tablename__ = "staff_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasswordReset(Base):
    """A single-use password reset link, valid an hour; only its hash is kept.

    The row is made when the email is sent (booking/mail/links.py), so no token is ever
    stored in clear, not even in the outbox.
    """

    __tablename__ = "staff_password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
