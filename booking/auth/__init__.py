"""Staff sign-in, sign-out and switching clinics."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/staff")

from booking.auth import views  # noqa: E402,F401  (registers the routes)
