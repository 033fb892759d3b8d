"""The patient's own appointment page, reached by a secret link."""
from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

from booking.manage import checkin, texts, views  # noqa: E402,F401  (register the routes: the page, check-in, texts)
