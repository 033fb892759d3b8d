"""How long each clinic keeps what, and the record of audit rows ever removed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from booking.models.base import Base, UTCDateTime, utcnow


class RetentionPolicy(Base):
    """A clinic's own retention periods; a missing row or None means the defaults in config.

    Periods are counted from the last event of the record: a token's expiry, a message's
    sending, a request's last change, a patient's last visit (or registration).
    """

    __tablename__ = "retention_policy"
    __table_args__ = (
        CheckConstraint("token_days IS NULL OR token_days >= 0", name="token_days"),
        CheckConstraint("message_body_days IS NULL OR message_body_days >= 30", name="message_body_days"),
        CheckConstraint("closed_request_days IS NULL OR closed_request_days >= 30", name="closed_request_days"),
        CheckConstraint("inactive_patient_years IS NULL OR inactive_patient_years >= 1",
                        name="inactive_patient_years"),
        CheckConstraint("audit_years IS NULL OR audit_years >= 1", name="audit_years"),
    )

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), primary_key=True)
    token_days: Mapped[int | None] = mapped_column(Integer)
    message_body_days: Mapped[int | None] = mapped_column(Integer)
    closed_request_days: Mapped[int | None] = mapped_column(Integer)
    inactive_patient_years: Mapped[int | None] = mapped_column(Integer)
    audit_years: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AuditPurge(Base):
    """One removal of old audit rows. On PostgreSQL inserting this row is the only way to delete
    audit rows (its trigger does the deleting and fills in `removed`); it can never be changed."""

    __tablename__ = "audit_purge"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(Integer)  # no foreign key: it outlives anything
    before: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200))
    removed: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
