"""The data model. Every table holding clinic data carries `clinic_id`."""
from booking.models.appointment import OCCUPYING_STATUSES, Appointment, AppointmentStatus
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
from booking.models.outbox import OutboxMessage, OutboxStatus
from booking.models.patient import (
    Answer,
    Concern,
    ConsultationRequest,
    Patient,
    PreferredTime,
    RequestStatus,
)

__all__ = [
    "Answer",
    "Appointment",
    "AppointmentStatus",
    "Base",
    "Chair",
    "ChairKind",
    "Clinic",
    "Closure",
    "Concern",
    "ConsultationRequest",
    "OCCUPYING_STATUSES",
    "OpeningHours",
    "OutboxMessage",
    "OutboxStatus",
    "Patient",
    "PreferredTime",
    "PrevisitInstructions",
    "RequestStatus",
    "Service",
    "ServiceKind",
    "ServiceMode",
    "utcnow",
]
