"""Password reset by email (single use, an hour, hashed, same answer for any email) and the new-browser email."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.mail.delivery import deliver_due
from booking.models import AuditAction, AuditEvent, MessageKind, OutboxMessage, PasswordReset, utcnow
from tests.support.sign_in import login
from tests.support.smtp import SmtpServer, free_port

NEW_PASSWORD = "a brand new long password"


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def config_overrides(smtp_port: int) -> dict[str, Any]:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 1.0,
            "PUBLIC_BASE_URL": "https://book.example.org", "PASSWORD_RESET_RATE_LIMIT": "2 per hour"}


@pytest.fixture
def smtp(smtp_port: int) -> Any:
    server = SmtpServer(smtp_port)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def user(make_clinic: Any, make_staff: Any) -> Any:
    return make_staff(make_clinic(name="Lakeside Infusions"), email="desk@lakeside.example")


def _messages(kind: MessageKind) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).filter_by(kind=kind).order_by(OutboxMessage.id)))


def _ask(client: FlaskClient, email: str) -> Any:
    return client.post("/staff/password/forgot", data={"email": email})


def _link(smtp: SmtpServer) -> str:
    text = smtp.messages[-1].as_string()
    found = re.search(r"https://book\.example\.org(/staff/password/reset/[A-Za-z0-9_-]{40,})", text)
    assert found is not None, text
    return found.group(1)


def test_the_answer_is_the_same_whether_the_email_is_known(app: Flask, user: Any) -> None:
    answers = []
    for email in (user.email, "nobody@nowhere.example"):
        client = app.test_client()
        response = _ask(client, email)
        assert response.status_code == 303 and response.headers["Location"] == "/staff/login"
        answers.append(client.get("/staff/login").get_data(as_text=True))
    assert answers[0] == answers[1] and "If an active account uses that email" in answers[0]
    assert [m.recipient for m in _messages(MessageKind.STAFF_PASSWORD_RESET)] == [f"{user.full_name} <{user.email}>"]


def test_the_link_is_made_at_sending_hashed_and_works_once(
    app: Flask, user: Any, smtp: SmtpServer
) -> None:
    signed_in = app.test_client()
    assert login(signed_in, user.email).status_code == 303
    _ask(app.test_client(), user.email)
    [queued] = _messages(MessageKind.STAFF_PASSWORD_RESET)
    assert "/staff/password/reset/" not in queued.body_text  # no token in the outbox
    assert db.session.scalars(select(PasswordReset)).all() == []
    deliver_due()
    link = _link(smtp)
    token = link.rsplit("/", 1)[1]
    [reset] = db.session.scalars(select(PasswordReset)).all()
    assert reset.token_hash != token and len(reset.token_hash) == 64
    assert timedelta(minutes=59) < reset.expires_at - queued.created_at <= timedelta(hours=1)

    browser = app.test_client()
    assert browser.get(link).status_code == 200
    short = browser.post(link, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "Use at least 12 characters." in short.get_data(as_text=True)
    done = browser.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303
    # Every session of the account ended; the new password works, the old does not.
    assert signed_in.get("/dashboard/").status_code == 302
    assert login(app.test_client(), user.email).status_code == 401
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 303
    # Single use.
    assert app.test_client().get(link).status_code == 404
    assert app.test_client().post(link, data={"password": "another long password x",
                                              "confirm": "another long password x"}).status_code == 404
    assert AuditAction.PASSWORD_RESET in db.session.scalars(select(AuditEvent.action)).all()


def test_the_link_expires_after_an_hour(app: Flask, user: Any, smtp: SmtpServer) -> None:
    _ask(app.test_client(), user.email)
    deliver_due()
    link = _link(smtp)
    with time_machine.travel(utcnow() + timedelta(minutes=61)):
        assert app.test_client().get(link).status_code == 404
    assert app.test_client().get("/staff/password/reset/not-a-token").status_code == 404


def test_links_per_email_are_limited_silently(app: Flask, user: Any) -> None:
    for _ in range(4):
        assert _ask(app.test_client(), user.email).status_code == 303
    assert len(_messages(MessageKind.STAFF_PASSWORD_RESET)) == 2


def test_a_new_browser_gets_an_email_a_known_one_does_not(app: Flask, user: Any, smtp: SmtpServer) -> None:
    browser = app.test_client()
    assert login(browser, user.email).status_code == 303
    [notice] = _messages(MessageKind.STAFF_NEW_SIGN_IN)
    assert notice.recipient == f"{user.full_name} <{user.email}>"
    browser.post("/staff/logout")
    assert login(browser, user.email).status_code == 303  # the same browser: known
    assert len(_messages(MessageKind.STAFF_NEW_SIGN_IN)) == 1
    assert login(app.test_client(), user.email).status_code == 303  # another one
    assert len(_messages(MessageKind.STAFF_NEW_SIGN_IN)) == 2
    deliver_due()
    body = smtp.messages[0].as_string()
    assert "signed in from a browser it had not used before" in body
    assert "https://book.example.org/staff/password/forgot" in body
