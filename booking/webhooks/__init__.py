"""Webhooks providers call: Twilio's inbound texts and delivery status (signed, CSRF-exempt)."""
from flask import Blueprint

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")

from booking.webhooks import views  # noqa: E402,F401  (registers the routes)
