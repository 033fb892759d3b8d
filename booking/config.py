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
# Password reset links asked for, per email typed (over it, nothing is sent; the answer is the same).
PASSWORD_RESET_RATE_LIMIT = "3 per hour"

# Behind a reverse proxy, how many proxies to trust for the client address.
PROXY_FIX_X_FOR = 0
# ...and for the scheme (X-Forwarded-Proto): 1 behind a TLS proxy.
PROXY_FIX_X_PROTO = 0

# Rate limits (Flask-Limiter). Use redis://127.0.0.1:6379 with several workers.
RATELIMIT_STORAGE_URI = "memory://"
# X-RateLimit-* headers on every answer cost two more storage round trips per
# request (measured: a quarter of a cached availability answer); a refused
# request still gets Retry-After (booking/error_pages.py).
RATELIMIT_HEADERS_ENABLED = False
# Requests taken in from one address (and posts refused for a bad CSRF token); a form shown
# again to correct does not count (booking/public/submit_limit.py). Every post counts
# against the attempt limit, a ceiling no patient correcting answers comes near.
REQUEST_FORM_RATE_LIMIT = "5 per minute;20 per hour"
REQUEST_FORM_ATTEMPT_LIMIT = "30 per minute;200 per hour"
API_RATE_LIMIT = "120 per minute"

# Public availability.
AVAILABILITY_MAX_DAYS = 31
# Availability answers kept per worker (checked against the clinic's calendar
# version); 0 turns it off. One entry per clinic, service and dates asked for.
AVAILABILITY_CACHE_SIZE = 512
REQUEST_FORM_DAYS = 14  # days of times listed on the patient's "another time" page
# Days of times the request form shows at once, with and without JavaScript; "earlier"
# and "later dates" move by as many, up to the clinic's booking horizon.
REQUEST_FORM_WINDOW_DAYS = 7
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

# The form embedded on a clinic's website (booking/public/embed.py): how long its signed
# form token and the "request received" page's link stay good.
EMBED_FORM_TOKEN_SECONDS = 2 * 3600
EMBED_RECEIVED_TOKEN_SECONDS = 3600
# Logs: "json" writes one JSON object a line to stderr (booking/logs.py); "plain" leaves
# Python's logging as it is configured.
LOG_FORMAT = "json"
LOG_LEVEL = "INFO"

# /readyz: not ready when the oldest due message has waited longer than this, or more
# messages than READY_OUTBOX_MAX_FAILED failed in the last READY_OUTBOX_FAILED_HOURS.
READY_OUTBOX_MAX_AGE_SECONDS = 900
READY_OUTBOX_MAX_FAILED = 50
READY_OUTBOX_FAILED_HOURS = 24
READY_CHECK_MIGRATIONS = True
# /metrics answers only to "Authorization: Bearer <METRICS_TOKEN>"; unset, it is a 404.
METRICS_TOKEN: str | None = None

# Retention (`flask purge`): defaults for clinics without their own periods
# (retention_policy). None keeps that data for ever. Conservative on purpose: links and
# message texts are copies of what exists elsewhere; patients and the audit log are kept
# until a clinic sets its own period (often fixed by law: 7 to 10 years for records).
RETENTION_TOKEN_DAYS: int | None = 30  # after a patient's page link expired
RETENTION_MESSAGE_BODY_DAYS: int | None = 365  # after a message was sent or given up
RETENTION_CLOSED_REQUEST_DAYS: int | None = 730  # declined or withdrawn, since the last change
RETENTION_INACTIVE_PATIENT_YEARS: int | None = None  # no visit for this long: anonymised
RETENTION_AUDIT_YEARS: int | None = None

# Staff two-factor sign-in (TOTP). True: every admin must turn it on at their next
# sign-in before using the dashboard. Set it in production (deploy/booking.env does).
TWO_FACTOR_REQUIRED_FOR_ADMINS = False
# A signed-in password waits this long for its second factor.
TWO_FACTOR_PENDING_SECONDS = 300
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
