"""Default settings. Override in `instance/config.py` or with FLASK_* variables."""
from __future__ import annotations

import os

# Database: DATABASE_URL (e.g. postgresql://user@host/db) selects PostgreSQL;
# unset means a SQLite file in the instance folder.
DATABASE_URL: str | None = None
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# Sessions and cookies. SECRET_KEY has no default: it must come from config.
SECRET_KEY: str | None = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = True
WTF_CSRF_TIME_LIMIT = 4 * 3600  # a patient may take a while over the form
MAX_CONTENT_LENGTH = 64 * 1024  # the request form is a few kilobytes at most

# Staff sessions: signed out after this much inactivity.
IDLE_TIMEOUT_MINUTES = 30
# Login throttling: per client address, and per account for failed attempts.
# A browser that signed in to an account before is exempt from the per-account
# limit, so an attacker cannot lock the real user out.
LOGIN_IP_RATE_LIMIT = "20 per minute;100 per hour"
LOGIN_ACCOUNT_RATE_LIMIT = "5 per 15 minutes"
KNOWN_DEVICE_DAYS = 90

# Behind a reverse proxy, how many proxies to trust for the client address.
PROXY_FIX_X_FOR = 0

# Rate limits (Flask-Limiter). Use redis://127.0.0.1:6379 with several workers.
RATELIMIT_STORAGE_URI = "memory://"
# X-RateLimit-* headers on every answer cost two more storage round trips per
# request (measured: a quarter of a cached availability answer); a refused
# request still gets Retry-After (booking/error_pages.py).
RATELIMIT_HEADERS_ENABLED = False
REQUEST_FORM_RATE_LIMIT = "5 per minute;20 per hour"
API_RATE_LIMIT = "120 per minute"

# Public availability.
AVAILABILITY_MAX_DAYS = 31
# Availability answers kept per worker (checked against the clinic's calendar
# version); 0 turns it off. One entry per clinic, service and dates asked for.
AVAILABILITY_CACHE_SIZE = 512
REQUEST_FORM_DAYS = 14  # days of times listed on the form without JavaScript
# The form's lists of free times kept per worker: one per clinic and service,
# about 10 kB each (two weeks of start times).
REQUEST_FORM_CACHE_SIZE = 256

# Mail (Flask-Mail) and the outbox.
MAIL_SERVER = "127.0.0.1"
MAIL_PORT = 25
MAIL_USE_TLS = False
MAIL_USE_SSL = False
MAIL_USERNAME: str | None = None
MAIL_PASSWORD: str | None = None
MAIL_TIMEOUT = 10.0  # seconds; a silent server must not hang the sender
MAIL_SUPPRESS_SEND = False
MAIL_MESSAGE_ID_DOMAIN = os.environ.get("MAIL_MESSAGE_ID_DOMAIN", "booking.localhost")
# Where patients' links in emails point, e.g. https://book.example.org
PUBLIC_BASE_URL = "http://127.0.0.1:5000"
# Patients' appointment pages (secret links): per-address limit.
MANAGE_RATE_LIMIT = "60 per minute"
# The worker: how long to wait when the queue is empty, and a batch size.
OUTBOX_IDLE_SECONDS = 5.0
OUTBOX_BATCH = 200
OUTBOX_MAX_ATTEMPTS = 8
OUTBOX_RETRY_BASE_SECONDS = 60
OUTBOX_RETRY_CAP_SECONDS = 3600

# Texts (SMS). SMS_PROVIDER: "twilio" or "log"; unset means Twilio when TWILIO_ACCOUNT_SID is
# set, else the local SMS log (texts kept in the outbox, shown "not sent" on the dashboard).
SMS_PROVIDER: str | None = None
TWILIO_ACCOUNT_SID: str | None = None
TWILIO_AUTH_TOKEN: str | None = None  # also checks the signature of Twilio's webhooks
TWILIO_FROM_NUMBER: str | None = None  # E.164, or use a messaging service:
TWILIO_MESSAGING_SERVICE_SID: str | None = None
TWILIO_API_BASE_URL: str | None = None  # default https://api.twilio.com
TWILIO_TIMEOUT = 10.0
# Per clinic, where it differs: {"<slug>": {"TWILIO_FROM_NUMBER": "+1...", "TWILIO_AUTH_TOKEN": ...}}
SMS_CLINICS: dict[str, dict[str, str]] = {}
# Twilio's webhooks (inbound texts, delivery status): per-address limit, and the largest body taken.
SMS_WEBHOOK_RATE_LIMIT = "300 per minute"
SMS_WEBHOOK_MAX_BYTES = 8 * 1024
