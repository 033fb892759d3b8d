"""Two-factor sign-in: enrolment, the code step, recovery codes, the admin rule, lockout and unlocking."""
from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import AuditAction, AuditEvent, RecoveryCode, Role, StaffUser
from tests.support.sign_in import login


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"LOGIN_IP_RATE_LIMIT": "1000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "3 per 15 minutes"}


@pytest.fixture
def clinic(make_clinic: Any) -> Any:
    return make_clinic(name="Lakeside Infusions")


def code_for(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def enrol(client: FlaskClient) -> tuple[str, list[str]]:
    """Turn two-factor on through the pages; the secret and the recovery codes shown."""
    assert client.get("/staff/two-factor").status_code == 200
    page = client.post("/staff/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)  # type: ignore[union-attr]
    shown = re.search(r'<code class="secret"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)  # type: ignore[union-attr]
    assert shown.replace(" ", "") == secret  # in groups of four, easier to type
    assert 'src="data:image/svg+xml' in page  # the QR code, inline
    wrong = client.post("/staff/two-factor/enable", data={"code": "000000"})
    assert wrong.status_code == 422
    shown = client.post("/staff/two-factor/enable", data={"code": code_for(secret)})
    assert shown.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", shown.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def test_enrolment_then_sign_in_takes_a_code(app: Flask, make_staff: Any, clinic: Any) -> None:
    user = make_staff(clinic, role=Role.FRONT_DESK)
    client = app.test_client()
    assert login(client, user.email).status_code == 303
    secret, codes = enrol(client)
    db.session.expire_all()
    stored = db.session.get(StaffUser, user.id)
    assert stored.two_factor_on and stored.totp_secret == secret  # type: ignore[union-attr]
    hashes = db.session.scalars(select(RecoveryCode.code_hash).filter_by(staff_id=user.id)).all()
    assert len(hashes) == 10 and not set(codes) & set(hashes)  # only hashes are kept
    assert AuditAction.TWO_FACTOR_ENABLED in db.session.scalars(select(AuditEvent.action)).all()
    client.post("/staff/logout")

    browser = app.test_client()
    step = login(browser, user.email)
    assert step.status_code == 303 and step.headers["Location"].endswith("/staff/login/code")
    # The password alone signs nobody in.
    assert browser.get("/dashboard/").status_code == 302
    assert browser.post("/staff/login/code", data={"code": "123456"}).status_code == 401
    done = browser.post("/staff/login/code", data={"code": code_for(secret, 1)})
    assert done.status_code == 303 and done.headers["Location"].endswith("/dashboard/")
    assert browser.get("/dashboard/").status_code == 200


def test_a_code_works_once(app: Flask, make_staff: Any, clinic: Any) -> None:
    user = make_staff(clinic)
    client = app.test_client()
    login(client, user.email)
    secret, _ = enrol(client)  # used the current step
    client.post("/staff/logout")
    again = app.test_client()
    login(again, user.email)
    assert again.post("/staff/login/code", data={"code": code_for(secret)}).status_code == 401


def test_recovery_codes_are_single_use(app: Flask, make_staff: Any, clinic: Any) -> None:
    user = make_staff(clinic)
    client = app.test_client()
    login(client, user.email)
    _, codes = enrol(client)
    client.post("/staff/logout")
    first = app.test_client()
    login(first, user.email)
    assert first.post("/staff/login/code", data={"code": codes[0].upper()}).status_code == 303
    second = app.test_client()
    login(second, user.email)
    assert second.post("/staff/login/code", data={"code": codes[0]}).status_code == 401
    assert second.post("/staff/login/code", data={"code": codes[1]}).status_code == 303


def test_the_pending_step_expires(app: Flask, make_staff: Any, clinic: Any) -> None:
    user = make_staff(clinic)
    client = app.test_client()
    login(client, user.email)
    secret, _ = enrol(client)
    client.post("/staff/logout")
    app.config["TWO_FACTOR_PENDING_SECONDS"] = 0
    late = app.test_client()
    login(late, user.email)
    response = late.post("/staff/login/code", data={"code": code_for(secret, 1)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/login")
    assert late.get("/dashboard/").status_code == 302


def test_admins_must_enrol_when_the_setting_says_so(app: Flask, make_staff: Any, clinic: Any) -> None:
    app.config["TWO_FACTOR_REQUIRED_FOR_ADMINS"] = True
    admin = make_staff(clinic, role=Role.ADMIN)
    client = app.test_client()
    response = login(client, admin.email)
    assert response.headers["Location"].endswith("/staff/two-factor")
    blocked = client.get("/dashboard/settings/")
    assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/staff/two-factor")
    secret, _ = enrol(client)
    assert client.get("/dashboard/").status_code == 200
    # It cannot be turned off while required.
    assert client.post("/staff/two-factor/disable",
                       data={"password": "a long test password", "code": code_for(secret, 1)}).status_code == 403
    # Front desk is not affected.
    desk = make_staff(clinic, role=Role.FRONT_DESK)
    other = app.test_client()
    assert login(other, desk.email).headers["Location"].endswith("/dashboard/")


def test_turning_it_off_takes_password_and_code(app: Flask, make_staff: Any, clinic: Any) -> None:
    user = make_staff(clinic)
    client = app.test_client()
    login(client, user.email)
    secret, _ = enrol(client)
    assert client.post("/staff/two-factor/disable",
                       data={"password": "wrong password", "code": code_for(secret, 1)}).status_code == 422
    assert client.post("/staff/two-factor/disable",
                       data={"password": "a long test password", "code": code_for(secret, 1)}).status_code == 303
    db.session.expire_all()
    assert not db.session.get(StaffUser, user.id).two_factor_on  # type: ignore[union-attr]
    assert db.session.scalars(select(RecoveryCode)).all() == []


def test_wrong_codes_lock_the_account_like_wrong_passwords(app: Flask, make_staff: Any, clinic: Any) -> None:
    user = make_staff(clinic)
    client = app.test_client()
    login(client, user.email)
    secret, _ = enrol(client)
    client.post("/staff/logout")
    attacker = app.test_client()  # has the password, not the phone
    for _ in range(3):
        login(attacker, user.email)
        assert attacker.post("/staff/login/code", data={"code": "111111"}).status_code == 401
    locked = login(attacker, user.email)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins for this account" in locked.get_data(as_text=True)


def test_locked_answer_is_the_same_for_unknown_accounts(app: Flask, make_staff: Any, clinic: Any) -> None:
    user = make_staff(clinic)
    answers = []
    for email in (user.email, "nobody@nowhere.example"):
        client = app.test_client()
        for _ in range(3):
            assert login(client, email, "guess").status_code == 401
        response = login(client, email, "guess")
        answers.append((response.status_code, re.sub(r"value=\"[^\"]*\"", "", response.get_data(as_text=True))))
    assert answers[0][0] == answers[1][0] == 429
    assert answers[0][1] == answers[1][1]


def test_an_admin_unlocks_a_locked_account(app: Flask, make_staff: Any, clinic: Any, make_clinic: Any) -> None:
    user = make_staff(clinic, email="locked@lakeside.example")
    attacker = app.test_client()
    for _ in range(3):
        login(attacker, user.email, "guess")
    assert login(app.test_client(), user.email).status_code == 429
    admin = make_staff(clinic, role=Role.ADMIN)
    desk = app.test_client()
    assert login(desk, admin.email).status_code == 303
    page = desk.get("/dashboard/settings/staff").get_data(as_text=True)
    assert "Locked" in page and "locked@lakeside.example" in page
    # Another clinic's admin cannot reach this member.
    stranger_admin = make_staff(make_clinic(), role=Role.ADMIN)
    stranger = app.test_client()
    login(stranger, stranger_admin.email)
    assert stranger.post(f"/dashboard/settings/staff/{user.id}/unlock").status_code == 404
    assert desk.post(f"/dashboard/settings/staff/{user.id}/unlock").status_code == 303
    assert login(app.test_client(), user.email).status_code == 303
    event = db.session.scalars(select(AuditEvent).filter_by(action=AuditAction.ACCOUNT_UNLOCKED)).one()
    assert event.staff_id == admin.id and event.entity_id == user.id
    # Front desk cannot unlock.
    desk_member = make_staff(clinic)
    front = app.test_client()
    login(front, desk_member.email)
    assert front.post(f"/dashboard/settings/staff/{user.id}/unlock").status_code == 403
