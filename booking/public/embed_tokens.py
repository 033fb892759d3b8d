"""Signed tokens that let the embedded form work without any cookie.

A browser showing the form inside another site's page usually refuses our cookies
there (third-party cookies), so neither the CSRF token nor the "request received"
page may rest on the session. Instead:

- the form carries a token signed with the app's secret, naming the clinic and the
  form's one-time key, good for `EMBED_FORM_TOKEN_SECONDS`: a POST without a fresh
  token for this clinic and this very form is refused (the form comes back, filled in);
- the redirect after a submit carries a token naming the clinic and the request, good
  for `EMBED_RECEIVED_TOKEN_SECONDS`, which the received page reads instead of the session.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

FORM_SALT = "embed-form"
RECEIVED_SALT = "embed-received"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def form_token(clinic_id: int, form_key: str) -> str:
    """The token for one embedded form page of `clinic_id` with one-time key `form_key`."""
    return _serializer(FORM_SALT).dumps({"clinic": clinic_id, "form": form_key})


def form_token_valid(token: object, clinic_id: int, form_key: object) -> bool:
    """True if `token` is ours, fresh, and made for this clinic and this form's key."""
    if not isinstance(token, str) or not token or not isinstance(form_key, str):
        return False
    try:
        payload = _serializer(FORM_SALT).loads(token, max_age=current_app.config["EMBED_FORM_TOKEN_SECONDS"])
    except BadSignature:  # also SignatureExpired
        return False
    return isinstance(payload, dict) and payload.get("clinic") == clinic_id and payload.get("form") == form_key


def received_token(clinic_id: int, request_id: int) -> str:
    """The token the "request received" page finds the request with."""
    return _serializer(RECEIVED_SALT).dumps({"clinic": clinic_id, "request": request_id})


def received_request_id(token: object, clinic_id: int) -> int | None:
    """The request id in a fresh received token of this clinic, else None."""
    if not isinstance(token, str) or not token:
        return None
    try:
        payload = _serializer(RECEIVED_SALT).loads(
            token, max_age=current_app.config["EMBED_RECEIVED_TOKEN_SECONDS"]
        )
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("clinic") != clinic_id:
        return None
    request_id = payload.get("request")
    return request_id if isinstance(request_id, int) else None
