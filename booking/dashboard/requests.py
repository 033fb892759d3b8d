"""Placeholder (being written)."""
from booking.dashboard import bp


@bp.get("/requests/")
def request_queue() -> str:
    """Queue."""
    return "queue"
