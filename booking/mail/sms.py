"""Sending one text: a small sender interface, Twilio behind it, and a log for running without one.

`sender_for(clinic)` picks the provider from config: `SMS_PROVIDER` ("twilio" or "log";
unset means Twilio when `TWILIO_ACCOUNT_SID` is set, else the log). Credentials, the
sending number or messaging service, and the API's address may differ per clinic
(`SMS_CLINICS = {"<slug>": {"TWILIO_FROM_NUMBER": ...}}`).
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from flask import current_app

from booking.models import Clinic


@dataclass(frozen=True)
class SmsReceipt:
    """What the provider answered: its id for the message and the first status."""

    provider_message_id: str
    status: str


class SmsUnavailable(Exception):
    """The provider could not take the text now (network, 5xx, 429): try again later."""


class SmsRefused(Exception):
    """The provider refused this text (a 4xx with an error code): trying again would not help."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SmsSender(Protocol):
    """Anything that can send one text."""

    name: str

    def send(self, *, to: str, body: str, status_callback: str | None) -> SmsReceipt:
        """Hand one text to the provider; raise SmsUnavailable or SmsRefused."""
        ...


@dataclass(frozen=True)
class SmsSettings:
    """One clinic's provider settings, from config."""

    provider: str
    account_sid: str
    auth_token: str
    from_number: str
    messaging_service_sid: str
    api_base_url: str
    timeout: float

    @property
    def sender_label(self) -> str:
        """What the outbox shows as the sender."""
        return self.messaging_service_sid or self.from_number or "log"


def sms_settings(clinic: Clinic) -> SmsSettings:
    """The provider settings for `clinic`: the global ones, then its entry in SMS_CLINICS."""
    config: dict[str, Any] = {**current_app.config, **current_app.config.get("SMS_CLINICS", {}).get(clinic.slug, {})}
    provider = config.get("SMS_PROVIDER") or ("twilio" if config.get("TWILIO_ACCOUNT_SID") else "log")
    return SmsSettings(
        provider=provider,
        account_sid=config.get("TWILIO_ACCOUNT_SID") or "",
        auth_token=config.get("TWILIO_AUTH_TOKEN") or "",
        from_number=config.get("TWILIO_FROM_NUMBER") or "",
        messaging_service_sid=config.get("TWILIO_MESSAGING_SERVICE_SID") or "",
        api_base_url=config.get("TWILIO_API_BASE_URL") or "",
        timeout=float(config.get("TWILIO_TIMEOUT", 10.0)),
    )


class TwilioSender:
    """Texts through Twilio's Messages API with the `twilio` library."""

    name = "twilio"

    def __init__(self, settings: SmsSettings) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        self.settings = settings
        http_client = TwilioHttpClient(timeout=settings.timeout)
        # The library logs every request's URL and headers at INFO: noise in our one-line-per-message
        # log, and a request's URL can carry a message's id. Our own line says what happened.
        http_client.logger.setLevel(logging.WARNING)
        self.client = Client(settings.account_sid, settings.auth_token, http_client=http_client)
        if settings.api_base_url:
            # The API domain's address (a Twilio-compatible endpoint, or the tests' fake).
            self.client.api.base_url = settings.api_base_url

    def send(self, *, to: str, body: str, status_callback: str | None) -> SmsReceipt:
        """One POST to Messages.json; 5xx, 429 and network errors are SmsUnavailable, other 4xx SmsRefused."""
        from requests import RequestException
        from twilio.base.exceptions import TwilioException, TwilioRestException

        origin: dict[str, str] = (
            {"messaging_service_sid": self.settings.messaging_service_sid}
            if self.settings.messaging_service_sid else {"from_": self.settings.from_number}
        )
        extra = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self.client.messages.create(to=to, body=body, **origin, **extra)
        except TwilioRestException as error:
            if error.status >= 500 or error.status == 429:
                raise SmsUnavailable(f"Twilio HTTP {error.status}") from error
            raise SmsRefused(str(error.code or error.status)) from error
        except (RequestException, OSError, TwilioException) as error:
            raise SmsUnavailable(type(error).__name__) from error
        return SmsReceipt(str(message.sid), str(message.status or "queued"))


class LogSender:
    """No provider configured: the text stays in the outbox as the local SMS log, marked not sent."""

    name = "log"

    def send(self, *, to: str, body: str, status_callback: str | None) -> SmsReceipt:
        """Record nothing anywhere else; the outbox row is the log."""
        return SmsReceipt(f"log-{uuid.uuid4().hex}", "not_sent")


def sender_for(clinic: Clinic) -> SmsSender:
    """The sender `clinic`'s texts go through."""
    settings = sms_settings(clinic)
    if settings.provider == "twilio":
        return TwilioSender(settings)
    return LogSender()
