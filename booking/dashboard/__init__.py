"""The front desk's dashboard: schedule, request queue, patients, settings."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from booking.dashboard import (  # noqa: E402,F401  (one module per area; each adds its views to `bp`)
    appointments,
    audit_log,
    day_readiness,
    export,
    messages,
    patients,
    requests,
    schedule,
    series,
    settings,
    texts,
)
from booking.dashboard.context import inject, load_clinic  # noqa: E402

bp.before_request(load_clinic)
bp.context_processor(inject)
