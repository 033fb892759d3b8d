"""The front desk's dashboard: schedule, request queue, patients, settings."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from booking.dashboard import (  # noqa: E402,F401  (registers the routes)
    appointments,
    audit_log,
    context,
    export,
    messages,
    patients,
    requests,
    schedule,
    series,
    settings,
)
