"""Public pages: clinic list, clinic page, consultation request form."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from booking.public import embed, views  # noqa: E402,F401  (register the routes)
