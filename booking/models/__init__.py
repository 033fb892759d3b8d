"""The data model. Every table holding clinic data carries `clinic_id`."""
from booking.models import audit_guard  # noqa: F401  (PostgreSQL's append-only triggers)
from booking.models.appointment import (
    OCCUPYING_STATUSES,
    Appointment,
    AppointmentSeries,
    AppointmentStatus,
    Canceller,
    ChangeRequest,
    ChangeRequestStatus,
    ManageToken,
)
from booking.models.base import Base, utcnow
from booking.models.clinic import (
    Chair,
    ChairKind,
    Clinic,
    Closure,
    OpeningHours,
    PrevisitInstructions,
    Service,
    ServiceKind,
    ServiceMode,
)
from booking.models.language import Language
from booking.models.outbox import STAFF_KINDS, MessageKind, OutboxMessage, OutboxStatus
from booking.models.patient import (
    Answer,
    Concern,
    ConsultationRequest,
    Patient,
    PreferredTime,
    RequestStatus,
    ReviewDecision,
)
from booking.models.retention import AuditPurge, RetentionPolicy
from booking.models.staff import (
    AuditAction,
    AuditEvent,
    Membership,
    PasswordReset,
    RecoveryCode,
    Role,
    StaffUser,
)

__all__ = [
    "Answer",
    "Appointment",
    "AppointmentSeries",
    "AuditAction",
    "AuditEvent",
    "AuditPurge",
    "ChangeRequest",
    "ChangeRequestStatus",
    "AppointmentStatus",
    "Base",
    "Canceller",
    "Chair",
    "ChairKind",
    "Clinic",
    "Closure",
    "Concern",
    "Language",
    "ManageToken",
    "Membership",
    "MessageKind",
    "ConsultationRequest",
    "OCCUPYING_STATUSES",
    "OpeningHours",
    "OutboxMessage",
    "OutboxStatus",
    "PasswordReset",
    "Patient",
    "PreferredTime",
    "PrevisitInstructions",
    "RecoveryCode",
    "RequestStatus",
    "RetentionPolicy",
    "ReviewDecision",
    "Role",
    "Service",
    "ServiceKind",
    "ServiceMode",
    "STAFF_KINDS",
    "StaffUser",
    "utcnow",
]
