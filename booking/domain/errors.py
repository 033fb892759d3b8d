"""Errors the domain raises; views turn them into messages for people."""
from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """A rule of the domain refused an operation."""


class PreferredTimeUnavailable(DomainError):
    """Some chosen start times are no longer free (or never were)."""

    def __init__(self, times: list[datetime]) -> None:
        super().__init__("preferred times no longer available")
        self.times = times


class InvalidRequest(DomainError):
    """The request breaks a rule the form should have caught."""
