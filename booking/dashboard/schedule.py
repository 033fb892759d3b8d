"""Placeholder (being written)."""
from booking.dashboard import bp


@bp.get("/")
def today() -> str:
    """Today."""
    return "today"


@bp.get("/week")
def week() -> str:
    """Week."""
    return "week"
