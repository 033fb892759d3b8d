"""What the server refuses: a permanent refusal fails at once, a temporary one waits; connections are closed."""
from __future__ import annotations

import gc
import warnings
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.mail.outbox import enqueue
from booking.models import Clinic, Language, MessageKind, OutboxMessage, OutboxStatus, utcnow
from tests.mail.test_outbox_delivery import make_due
from tests.support.smtp import SmtpServer
from tests.support.waiting import eventually

UNKNOWN = "nobody.here@example.com"


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions")


def queue(clinic: Clinic, *addresses: str) -> None:
    for address in addresses:
        enqueue(clinic, kind=MessageKind.REQUEST_RECEIVED, dedupe_key=f"ack-{address}", to_name="Robin Patient",
                to_email=address, context={"first_name": "Robin", "preferred_times": [], "call_me": True,
                                           "consent_phone": True}, now=utcnow(), language=Language.EN)
    db.session.commit()


def row_for(address: str) -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient.contains(address))).one()


@pytest.mark.parametrize(("refusal", "expected_error"), [
    ({"rcpt": f"550 5.1.1 <{UNKNOWN}>: Recipient address rejected: User unknown (Robin Patient)"},
     "SMTPRecipientsRefused 550 5.1.1: recipient refused"),
    ({"rcpt": f"553 sorry, {UNKNOWN} is not allowed"}, "SMTPRecipientsRefused 553: recipient refused"),
    ({"data": f"554 5.6.0 Message for {UNKNOWN} rejected as spam"}, "SMTPDataError 554 5.6.0: message refused"),
])
def test_a_permanent_refusal_fails_at_once_without_patient_data(
    clinic: Clinic, smtp: SmtpServer, ctx: None, refusal: dict[str, str], expected_error: str
) -> None:
    queue(clinic, "first@example.com", UNKNOWN, "third@example.com")
    if "rcpt" in refusal:
        smtp.handler.refuse_recipients[UNKNOWN] = refusal["rcpt"]
    else:
        smtp.handler.refuse_data_for[UNKNOWN] = refusal["data"]

    report = deliver_due()

    assert (report.sent, report.failed, report.retried) == (2, 1, 0)
    refused = row_for(UNKNOWN)
    assert refused.status is OutboxStatus.FAILED and refused.attempts == 1
    assert refused.last_error == expected_error
    for patient_data in ("@", "nobody", "Robin", "Patient", "example"):
        assert patient_data not in refused.last_error
    assert {row_for(a).status for a in ("first@example.com", "third@example.com")} == {OutboxStatus.SENT}
    make_due()
    assert deliver_due().handled == 0  # waits for a person to press Retry


@pytest.mark.parametrize("reply", [
    "450 4.2.1 Mailbox busy, try later",
    "452 4.3.1 Insufficient system storage",
])
def test_a_temporary_refusal_keeps_the_backoff(clinic: Clinic, smtp: SmtpServer, ctx: None, reply: str) -> None:
    queue(clinic, UNKNOWN, "second@example.com")
    smtp.handler.refuse_recipients[UNKNOWN] = reply

    report = deliver_due()

    assert (report.sent, report.retried, report.failed) == (1, 1, 0)  # the connection carried on
    waiting = row_for(UNKNOWN)
    assert waiting.status is OutboxStatus.PENDING and waiting.attempts == 1
    assert waiting.next_attempt_at > utcnow() + timedelta(seconds=30)
    code, enhanced = reply.split()[:2]
    assert waiting.last_error == f"SMTPRecipientsRefused {code} {enhanced}: recipient refused"
    del smtp.handler.refuse_recipients[UNKNOWN]
    make_due()
    assert deliver_due().sent == 1


def test_421_to_a_recipient_stops_the_run_and_charges_only_that_message(
    clinic: Clinic, smtp: SmtpServer, ctx: None
) -> None:
    queue(clinic, UNKNOWN, "second@example.com")
    smtp.handler.refuse_recipients[UNKNOWN] = "421 4.3.2 Service shutting down"
    report = deliver_due()
    assert (report.sent, report.retried) == (0, 1)
    assert row_for(UNKNOWN).last_error == "SMTPRecipientsRefused 421 4.3.2: recipient refused"
    second = row_for("second@example.com")
    assert second.status is OutboxStatus.PENDING and second.attempts == 0


@pytest.mark.parametrize("failure", ["greeting refused", "login impossible"])
def test_a_connection_given_up_after_an_error_is_closed(
    app: Flask, clinic: Clinic, smtp: SmtpServer, ctx: None, failure: str
) -> None:
    queue(clinic, "first@example.com")
    if failure == "greeting refused":
        smtp.handler.refuse_hello = "554 5.7.1 Client host rejected"
    else:  # the server offers no AUTH: smtplib raises once connected
        app.extensions["mail"].username, app.extensions["mail"].password = "desk", "secret"
    assert eventually(lambda: smtp.open_connections == 0)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = deliver_due()
        gc.collect()

    assert report.retried == 1 and smtp.messages == []
    # Closed by us, politely and at once: the server saw QUIT and has no connection left.
    assert eventually(lambda: smtp.open_connections == 0)
    assert smtp.handler.quits == 1
    leaked = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaked == []
