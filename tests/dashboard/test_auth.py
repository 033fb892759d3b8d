"""Staff sign-in: sessions that really end, idle timeout, throttling without lock-out."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from booking.extensions import db
from booking.models import Role, StaffUser
from tests.factories import STAFF_PASSWORD
from tests.support.sign_in import login


@pytest.fixture
def clinic(make_clinic: Any) -> Any:
    return make_clinic(name="Lakeside Infusions")


@pytest.fixture
def user(make_staff: Any, clinic: Any) -> StaffUser:
    return make_staff(clinic, role=Role.FRONT_DESK, email="desk@lakeside.example")


def test_sign_in_lands_on_today(app: Flask, user: StaffUser) -> None:
    client = app.test_client()
    response = login(client, "Desk@Lakeside.example")
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard/"
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert "Lakeside Infusions" in page.get_data(as_text=True)


@pytest.mark.parametrize("email,password", [("desk@lakeside.example", "wrong password"), ("nobody@x.example", STAFF_PASSWORD)])
def test_bad_credentials_are_refused_alike(app: Flask, user: StaffUser, email: str, password: str) -> None:
    client = app.test_client()
    response = login(client, email, password)
    assert response.status_code == 401
    assert "do not match an active account" in response.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 302


def test_dashboard_needs_sign_in(client: Any, user: StaffUser) -> None:
    response = client.get("/dashboard/requests/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_next_only_redirects_locally(app: Flask, user: StaffUser) -> None:
    client = app.test_client()
    response = client.post("/staff/login", data={"email": user.email, "password": STAFF_PASSWORD, "next": "//evil.example/x"})
    assert response.headers["Location"] == "/dashboard/"


def test_sign_in_starts_a_fresh_session(app: Flask, user: StaffUser) -> None:
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:1"


def test_logout_kills_a_copied_cookie(app: Flask, user: StaffUser) -> None:
    client = app.test_client()
    login(client, user.email)
    stolen = client.get_cookie("session")
    assert stolen is not None
    assert client.post("/staff/logout").status_code == 303

    thief = app.test_client()
    thief.set_cookie("session", stolen.value)
    response = thief.get("/dashboard/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_logout_is_post_only(app: Flask, user: StaffUser) -> None:
    client = app.test_client()
    login(client, user.email)
    assert client.get("/staff/logout").status_code == 405
    assert client.get("/dashboard/").status_code == 200


def test_idle_timeout_signs_out(app: Flask, user: StaffUser) -> None:
    app.config["IDLE_TIMEOUT_MINUTES"] = 30
    client = app.test_client()
    with time_machine.travel(0, tick=False) as traveller:
        traveller.move_to("2030-01-01 09:00:00Z")
        login(client, user.email)
        traveller.shift(timedelta(minutes=29))
        assert client.get("/dashboard/").status_code == 200  # activity keeps it alive
        traveller.shift(timedelta(minutes=29))
        assert client.get("/dashboard/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/dashboard/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_session_cookie_flags(app: Flask, user: StaffUser) -> None:
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    response = login(client, user.email)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


class TestThrottling:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"LOGIN_IP_RATE_LIMIT": "1000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "3 per 15 minutes"}

    def test_failed_attempts_limit_the_account_but_not_a_known_browser(
        self, app: Flask, user: StaffUser, make_staff: Any, clinic: Any
    ) -> None:
        own_browser = app.test_client()
        login(own_browser, user.email)  # signed in here before: a known device
        own_browser.post("/staff/logout")

        attacker = app.test_client()
        for _ in range(3):
            assert login(attacker, user.email, "guess").status_code == 401
        assert login(attacker, user.email).status_code == 429  # even the right password, from here

        assert login(own_browser, user.email).status_code == 303  # the real user still gets in
        other = make_staff(clinic, email="other@lakeside.example")
        assert login(app.test_client(), other.email).status_code == 303  # other accounts unaffected

    def test_successes_do_not_count(self, app: Flask, user: StaffUser) -> None:
        for _ in range(5):
            client = app.test_client()
            assert login(client, user.email).status_code == 303


class TestIpThrottling:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"LOGIN_IP_RATE_LIMIT": "3 per minute"}

    def test_one_address_is_limited(self, app: Flask, user: StaffUser) -> None:
        client = app.test_client()
        for n in range(3):
            assert login(client, f"x{n}@example.com", "nope").status_code == 401
        assert login(client, user.email).status_code == 429


def test_staff_create_command(runner: FlaskCliRunner, clinic: Any, ctx: None) -> None:
    result = runner.invoke(
        args=["staff", "create", "--email", "New@Lakeside.example", "--clinic", clinic.slug, "--role", "clinician"],
        input="a strong passphrase\na strong passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(StaffUser).filter_by(email="new@lakeside.example"))
    assert user is not None and user.role_at(clinic.id) is Role.CLINICIAN
    assert user.password_hash.startswith("scrypt:")
    short = runner.invoke(
        args=["staff", "create", "--email", "x@y.example", "--clinic", clinic.slug, "--role", "admin"],
        input="short\nshort\n",
    )
    assert short.exit_code != 0 and "at least 12" in short.output
    unknown = runner.invoke(
        args=["staff", "create", "--email", "x@y.example", "--clinic", "nope", "--role", "admin"],
        input="a strong passphrase\na strong passphrase\n",
    )
    assert unknown.exit_code != 0 and "no clinic" in unknown.output
