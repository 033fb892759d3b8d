"""Instants and dates on a clinic's own clock."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from booking.domain.availability import local_instant
from booking.models import Clinic, utcnow


def local(clinic: Clinic, day: date, hour: int, minute: int = 0) -> datetime:
    """The aware instant of `hour:minute` on `day` in the clinic's zone (it must exist)."""
    moment = local_instant(day, time(hour, minute), clinic.zone)
    assert moment is not None
    return moment


def days_ahead(clinic: Clinic, n: int) -> date:
    """The clinic's local date `n` days from today."""
    return utcnow().astimezone(clinic.zone).date() + timedelta(days=n)
