"""Twilio's webhooks: a text a patient sent, and the delivery status of one we sent.

Checked in this order, each before anything is stored: a body larger than
SMS_WEBHOOK_MAX_BYTES or not a form is refused (400); a missing or wrong
X-Twilio-Signature (the library's RequestValidator with the clinic's auth token, over
PUBLIC_BASE_URL plus the path, as Twilio signed it) gets 403; missing or malformed
fields get 400. These routes alone are exempt from CSRF (a signature stands in for it).
"""
from __future__ import annotations

import re

import phonenumbers
from flask import abort, current_app, request
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from booking.extensions import db, limiter
from booking.mail.sms import sms_settings
from booking.models import Clinic, utcnow
from booking.operations.sms_inbound import receive_text, record_delivery_status
from booking.validators import has_control_chars
from booking.webhooks import bp

# Twilio's message ids: two letters (SM, MM) and 32 hex digits.
_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")
_ERROR_CODE = re.compile(r"\d{1,8}")
_STATUSES = frozenset({"accepted", "scheduled", "queued", "sending", "sent", "delivered", "undelivered",
                       "failed", "read", "canceled", "receiving", "received"})
# Twilio's limit on one message body (10 segments of 160).
MAX_BODY = 1600
# An empty TwiML answer: every reply goes through the outbox, none in the webhook's answer.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _rate_limit() -> str:
    return str(current_app.config["SMS_WEBHOOK_RATE_LIMIT"])


def _signed_url() -> str:
    """The URL Twilio requested, as it signed it: our public address, not the proxy's."""
    query = request.query_string.decode("ascii", "replace")
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + request.path + (f"?{query}" if query else "")


def _verified_clinic(slug: str) -> Clinic:
    """The clinic of the URL, once the request's size, shape and signature pass (else 404, 400, 403)."""
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == slug))
    if clinic is None:
        abort(404)
    length = request.content_length
    if length is None or length > current_app.config["SMS_WEBHOOK_MAX_BYTES"]:
        abort(400)
    if request.mimetype != "application/x-www-form-urlencoded":
        abort(400)
    token = sms_settings(clinic).auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature or not RequestValidator(token).validate(_signed_url(), request.form, signature):
        abort(403)
    return clinic


def _field(name: str, pattern: re.Pattern[str]) -> str:
    value = request.form.get(name, "")
    if not pattern.fullmatch(value):
        abort(400)
    return value


def _sender_number() -> str:
    """The sender's number in E.164 (Twilio sends E.164; anything else is malformed)."""
    raw = request.form.get("From", "")
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        abort(400)
    if not phonenumbers.is_possible_number(number):
        abort(400)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@bp.post("/twilio/<slug>/inbound")
@limiter.limit(_rate_limit)
def twilio_inbound(slug: str) -> tuple[str, int, dict[str, str]]:
    """A text sent to the clinic's number: recorded once per MessageSid, then acted on."""
    clinic = _verified_clinic(slug)
    sid = _field("MessageSid", _SID)
    phone = _sender_number()
    body = request.form.get("Body", "")
    if len(body) > MAX_BODY or has_control_chars(body, multiline=True):
        abort(400)
    receive_text(clinic, provider_message_id=sid, phone=phone, body=body.strip(), now=utcnow())
    db.session.commit()
    return EMPTY_TWIML, 200, {"Content-Type": "text/xml; charset=utf-8"}


@bp.post("/twilio/<slug>/status")
@limiter.limit(_rate_limit)
def twilio_status(slug: str) -> tuple[str, int]:
    """A delivery status for a text the clinic sent (queued, sent, delivered, undelivered, failed)."""
    clinic = _verified_clinic(slug)
    sid = _field("MessageSid", _SID)
    status = request.form.get("MessageStatus", "")
    if status not in _STATUSES:
        abort(400)
    error_code = request.form.get("ErrorCode", "")
    if error_code and not _ERROR_CODE.fullmatch(error_code):
        abort(400)
    record_delivery_status(clinic, sid, status, error_code)
    db.session.commit()
    return "", 204
