"""The data model. Every table holding clinic data carries `clinic_id`."""
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
from booking.models.checkin import CheckIn, CheckinSettings, Instrument, QuestionnaireResponse, ServiceQuestionnaire
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
from booking.models.outbox import MessageKind, OutboxMessage, OutboxStatus
from booking.models.patient import (
    Answer,
    Concern,
    ConsultationRequest,
    Patient,
    PreferredTime,
    RequestStatus,
    ReviewDecision,
)
from booking.models.staff import AuditAction, AuditEvent, Membership, Role, StaffUser

__all__ = [
    "Answer",
    "Appointment",
    "AppointmentSeries",
    "AuditAction",
    "AuditEvent",
    "ChangeRequest",
    "CheckIn",
    "CheckinSettings",
    "ChangeRequestStatus",
    "AppointmentStatus",
    "Base",
    "Canceller",
    "Chair",
    "ChairKind",
    "Clinic",
    "Closure",
    "Concern",
    "Instrument",
    "Language",
    "ManageToken",
    "Membership",
    "MessageKind",
    "ConsultationRequest",
    "OCCUPYING_STATUSES",
    "OpeningHours",
    "OutboxMessage",
    "OutboxStatus",
    "Patient",
    "PreferredTime",
    "PrevisitInstructions",
    "QuestionnaireResponse",
    "RequestStatus",
    "ReviewDecision",
    "Role",
    "Service",
    "ServiceKind",
    "ServiceMode",
    "ServiceQuestionnaire",
    "StaffUser",
    "utcnow",
]
