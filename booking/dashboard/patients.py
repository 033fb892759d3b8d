"""Placeholder (being written)."""
from booking.dashboard import bp


@bp.get("/patients/")
def patient_search() -> str:
    """Search."""
    return "patients"
