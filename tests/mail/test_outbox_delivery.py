"""Acknowledgment emails go through the outbox to a real SMTP server, once each."""
from __future__ import annotations

import socket
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, update

from booking.extensions import db
from booking.mail.delivery import backoff, deliver_due
from booking.mail.outbox import enqueue
from booking.models import Clinic, Language, MessageKind, OutboxMessage, OutboxStatus, utcnow
from tests.support.request_form import form_data
from tests.support.smtp import SmtpServer

CANARIES = {
    "concern_details": "CANARY-DETAIL-7731",
    "medications": "CANARY-MED-5512 sertraline",
    "date_of_birth": "1979-06-23",
}


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic(name="Lakeside Infusions")


def submit(client: FlaskClient, clinic: Clinic, **overrides: Any) -> None:
    data = form_data(clinic, concern="other", heart_condition="yes", pregnancy="unsure",
                     **{**CANARIES, **overrides})
    assert client.post(f"/{clinic.slug}/request", data=data).status_code == 303


def make_due() -> None:
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_acknowledgment_is_delivered_with_minimum_necessary(
    client: FlaskClient, runner: FlaskCliRunner, clinic: Clinic, smtp: SmtpServer, ctx: None
) -> None:
    submit(client, clinic)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output

    [message] = smtp.messages
    assert message["To"] == "Robin Testpatient <robin@example.com>"
    assert message["From"] == f"Lakeside Infusions <{clinic.email}>"
    assert message["Subject"] == "We received your consultation request: Lakeside Infusions"
    assert smtp.handler.recipients == [["robin@example.com"]]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello Robin" in text and "Hello Robin" in html
    assert "within one working day" in text
    whole = message.as_string()
    for canary in (*CANARIES.values(), "06/23/1979", "June 23", "Heart", "pregnan", "depress"):
        assert canary.lower() not in whole.lower()

    [row] = rows()
    assert row.status is OutboxStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert message["Message-ID"] == row.message_id
    # Nothing is sent twice.
    assert "sent 0" in runner.invoke(args=["outbox", "send"]).output
    assert len(smtp.messages) == 1


def test_server_down_then_421_then_silent_then_recovered_delivers_each_once(
    app: Flask, client: FlaskClient, clinic: Clinic, smtp: SmtpServer, smtp_port: int, ctx: None
) -> None:
    for n in range(3):
        submit(client, clinic, email=f"patient{n}@example.com")

    smtp.stop()  # connection refused
    report = deliver_due()
    assert (report.sent, report.retried) == (0, 1)
    first = rows()[0]
    assert first.status is OutboxStatus.PENDING and first.attempts == 1
    assert first.next_attempt_at > utcnow()
    assert first.last_error  # type only, no addresses
    assert "@" not in first.last_error

    make_due()
    smtp.start()
    smtp.handler.refuse_with = "421 Service not available, closing channel"
    assert deliver_due().sent == 0
    assert [r.status for r in rows()] == [OutboxStatus.PENDING] * 3
    smtp.stop()

    make_due()
    with socket.socket() as silent:  # accepts connections, never greets
        silent.bind(("127.0.0.1", smtp_port))
        silent.listen(5)
        app.config["MAIL_TIMEOUT"] = 0.3
        assert deliver_due().retried == 1

    make_due()
    smtp.handler.refuse_with = None
    smtp.start()
    assert deliver_due().sent == 3
    make_due()
    assert deliver_due().sent == 0
    ids = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(ids) == 3 and set(ids.values()) == {1}
    assert {r.status for r in rows()} == {OutboxStatus.SENT}


def test_gives_up_after_max_attempts(
    app: Flask, client: FlaskClient, clinic: Clinic, smtp: SmtpServer, ctx: None
) -> None:
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    submit(client, clinic)
    smtp.stop()
    assert deliver_due().retried == 1
    make_due()
    assert deliver_due().failed == 1
    [row] = rows()
    assert row.status is OutboxStatus.FAILED and row.attempts == 2
    make_due()
    assert deliver_due().sent == 0  # a failed message waits for a person


def test_header_injection_in_name_gives_one_recipient(
    clinic: Clinic, smtp: SmtpServer, ctx: None
) -> None:
    enqueue(
        clinic,
        kind=MessageKind.REQUEST_RECEIVED,
        dedupe_key="injection",
        to_name="Eve\r\nBcc: victim@example.net\r\nX-Evil: 1",
        to_email="eve@example.com",
        context={"first_name": "Eve", "preferred_times": [], "call_me": True, "consent_phone": True},
        now=utcnow(),
        language=Language.EN,
    )
    db.session.commit()
    assert deliver_due().sent == 1
    [message] = smtp.messages
    assert smtp.handler.recipients == [["eve@example.com"]]
    assert message["Bcc"] is None and message["X-Evil"] is None
    [address] = message["To"].addresses
    assert address.addr_spec == "eve@example.com"
    assert address.display_name == "Eve Bcc victim example.net X-Evil 1"


def test_enqueue_is_idempotent_by_key(clinic: Clinic, ctx: None) -> None:
    args: dict[str, Any] = dict(
        kind=MessageKind.REQUEST_RECEIVED, dedupe_key="same", to_name="A B", to_email="a@example.com",
        context={"first_name": "A", "preferred_times": [], "call_me": True, "consent_phone": True},
        now=utcnow(), language=Language.EN,
    )
    assert enqueue(clinic, **args).id == enqueue(clinic, **args).id
    db.session.commit()
    assert len(rows()) == 1


def test_backoff_doubles_up_to_the_cap() -> None:
    base, cap = timedelta(minutes=1), timedelta(minutes=10)
    assert [backoff(n, base, cap) for n in range(1, 6)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 10)
    ]
