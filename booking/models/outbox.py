"""Outgoing email and texts, written in the same transaction as the change that causes it."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from booking.models.base import Base, UTCDateTime, str_enum, utcnow
from booking.models.sms import Channel


class OutboxStatus(enum.Enum):
    """Delivery state of an outbox message."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    VOID = "void"  # its appointment changed or was cancelled before it went out
    SKIPPED = "skipped"  # a reminder whose moment had long passed


class MessageKind(enum.Enum):
    """Every kind of message the clinic sends; its template is `templates/email/<value>.*`."""

    REQUEST_RECEIVED = "request_received"
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_RESCHEDULED = "appointment_rescheduled"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    SERIES_BOOKED = "series_booked"
    REMINDER_PREP = "reminder_prep"
    REMINDER_EVENING = "reminder_evening"
    REMINDER_FINAL = "reminder_final"
    DRIVER_PICKUP = "driver_pickup"
    CHANGE_DECLINED = "change_declined"
    STAFF_PASSWORD_RESET = "staff_password_reset"
    STAFF_NEW_SIGN_IN = "staff_new_sign_in"
    SMS_REPLY = "sms_reply"  # a text answering one a patient sent (HELP, R, C, or staff's answer)

    @property
    def label(self) -> str:
        """What staff see for it in the dashboard."""
        return _KIND_LABELS[self]

    @property
    def is_reminder(self) -> bool:
        """Reminders are skipped, never sent late, once their moment has passed."""
        return self in REMINDER_KINDS

    def dedupe_key(self, *parts: object) -> str:
        """The key that makes enqueueing this kind idempotent: one message per cause."""
        return ":".join([self.value, *map(str, parts)])


# Messages to staff members (English, no patient in them), not to patients.
STAFF_KINDS = frozenset({MessageKind.STAFF_PASSWORD_RESET, MessageKind.STAFF_NEW_SIGN_IN})
# Kinds that only ever go as a text (no email templates).
SMS_ONLY_KINDS = frozenset({MessageKind.SMS_REPLY})

REMINDER_KINDS = frozenset({MessageKind.REMINDER_PREP, MessageKind.REMINDER_EVENING, MessageKind.REMINDER_FINAL})

_KIND_LABELS = {
    MessageKind.REQUEST_RECEIVED: "Request acknowledgment",
    MessageKind.APPOINTMENT_BOOKED: "Booking confirmation",
    MessageKind.APPOINTMENT_RESCHEDULED: "New time",
    MessageKind.APPOINTMENT_CANCELLED: "Cancellation",
    MessageKind.SERIES_BOOKED: "Series confirmation",
    MessageKind.REMINDER_PREP: "Reminder: preparation",
    MessageKind.REMINDER_EVENING: "Reminder: evening before",
    MessageKind.REMINDER_FINAL: "Reminder: hours before",
    MessageKind.DRIVER_PICKUP: "Driver's pickup note",
    MessageKind.CHANGE_DECLINED: "Change request declined",
    MessageKind.STAFF_PASSWORD_RESET: "Staff password reset",
    MessageKind.STAFF_NEW_SIGN_IN: "Staff sign-in from a new browser",
    MessageKind.SMS_REPLY: "Text reply",
}


class OutboxMessage(Base):
    """One email or text waiting for, or done with, delivery.

    A text (channel SMS) has the number in `recipient`, the sending number or
    messaging service in `sender`, an empty subject and HTML, and its words in `body_text`.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # The worker's claim: pending rows in due order, without sorting the backlog.
        Index(
            "ix_outbox_pending_due",
            "next_attempt_at",
            "id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        # Status callbacks find a text by the provider's id (an index: added to a table in place).
        Index("uq_outbox_message_provider_message_id", "provider_message_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment.id", ondelete="CASCADE"), index=True
    )
    # The appointment version the message was written for; an older one is never sent.
    appointment_version: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[Channel] = mapped_column(
        str_enum(Channel, "outbox_channel", length=8, constrained=False), default=Channel.EMAIL,
        server_default=Channel.EMAIL.value,
    )
    kind: Mapped[MessageKind] = mapped_column(str_enum(MessageKind, "message_kind", length=40, constrained=False))
    # Makes enqueueing idempotent: one message per cause.
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    sender: Mapped[str] = mapped_column(String(300))
    recipient: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # An iCalendar attachment and its METHOD (REQUEST or CANCEL), if any.
    ics: Mapped[str | None] = mapped_column(Text)
    ics_method: Mapped[str | None] = mapped_column(String(10))
    # Whether the body carries a link to the patient's appointment page; the
    # link's token is made when the message is sent, so no token is stored in clear.
    has_manage_link: Mapped[bool] = mapped_column(Boolean, default=False)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When it should go out (reminders: their moment); retries move next_attempt_at only.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Texts: who carried it ("twilio", or "log" when no provider is configured), its id
    # there, and the last delivery status the provider reported (queued ... delivered).
    provider: Mapped[str] = mapped_column(String(16), default="", server_default="")
    provider_message_id: Mapped[str | None] = mapped_column(String(64))
    delivery_status: Mapped[str] = mapped_column(String(16), default="", server_default="")
    delivery_error: Mapped[str] = mapped_column(String(16), default="", server_default="")
