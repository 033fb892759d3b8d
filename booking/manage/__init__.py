"""The patient's own appointment page, reached by a secret link."""
from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

from booking.manage import views  # noqa: E402,F401  (registers the routes)
from booking.manage import checkin  # noqa: E402,F401  (the pre-visit check-in page)
