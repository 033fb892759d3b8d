"""The front desk's dashboard: schedule, request queue, patients, settings."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from booking.dashboard import (  # noqa: E402,F401  (one module per area; each adds its views to `bp`)
    appointments,
    audit_log,
    book_slot,
    change_requests,
    checkins,
    day_print,
    day_readiness,
    duplicates,
    export,
    messages,
    patient_data,
    patients,
    requests,
    schedule,
    search,
    series,
    settings,
    texts,
    visit_actions,
)
from booking.dashboard.context import inject, load_clinic  # noqa: E402

bp.before_request(load_clinic)
bp.context_processor(inject)
