"""How the outbox is doing: what is due and for how long, what failed. Counts only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, literal, select

from booking.extensions import db
from booking.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class ChannelBacklog:
    """One delivery channel's queue at a moment."""

    channel: str
    due: int
    oldest_due_seconds: float
    failed_recently: int


def _channel_column() -> Any:
    # A channel column (email, text message) where the model has one; email otherwise.
    column = getattr(OutboxMessage, "channel", None)
    return column if column is not None else literal("email")


def outbox_backlog(now: datetime, failed_window: timedelta = timedelta(hours=24)) -> list[ChannelBacklog]:
    """Per channel: pending messages due now, the oldest one's wait, and failures in `failed_window`."""
    channel = _channel_column()
    due_rows = db.session.execute(
        select(channel, func.count(), func.min(OutboxMessage.next_attempt_at))
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .group_by(channel)
    ).all()
    failed_rows = db.session.execute(
        select(channel, func.count())
        .where(OutboxMessage.status == OutboxStatus.FAILED, OutboxMessage.created_at >= now - failed_window)
        .group_by(channel)
    ).all()
    channels: dict[str, list[float]] = {"email": [0, 0.0, 0]}
    for name, count, oldest in due_rows:
        oldest_at = oldest if oldest is None or oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
        age = max(0.0, (now - oldest_at).total_seconds()) if oldest_at is not None else 0.0
        channels.setdefault(str(getattr(name, "value", name)), [0, 0.0, 0])[:2] = [count, age]
    for name, count in failed_rows:
        channels.setdefault(str(getattr(name, "value", name)), [0, 0.0, 0])[2] = count
    return [ChannelBacklog(name, int(v[0]), float(v[1]), int(v[2])) for name, v in sorted(channels.items())]
