"""Sign in, sign out, switch clinic."""
from __future__ import annotations

import secrets
import time

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response

from booking.auth import bp
from booking.auth.forms import LoginForm, SwitchClinicForm
from booking.auth.sessions import (
    KNOWN_DEVICE_COOKIE,
    end_all_sessions,
    known_device_token,
    known_device_user_id,
)
from booking.extensions import db, limiter
from booking.models import StaffUser, utcnow

# Compared against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = (
    "scrypt:32768:8:1$qdkOdSqdXWxMarot$c7a8ad18435a747951a57db9dff500cc97f53f7c98fe10c834c1dd6a41ac0e03"
    "b20900e340816b0f7f130ccfb9c9e6fa9fbd8d6af751f1f04775c8dc9a75f537"
)


def _attempted_email() -> str:
    return (request.form.get("email") or "").strip().lower()


def _account_key() -> str:
    return "login-account:" + _attempted_email()


def _is_known_device() -> bool:
    user_id = known_device_user_id()
    if user_id is None:
        return False
    user = db.session.get(StaffUser, user_id)
    return user is not None and user.email == _attempted_email()


def _safe_next(target: str | None) -> str:
    # Only local paths: never bounce a signed-in user to another site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.today")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code != 303,
    exempt_when=_is_known_device,
)
def login() -> Response | str | tuple[str, int]:
    """Staff sign-in."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.today"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422 if request.method == "POST" else 200
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == form.email.data.lower()))
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, form.password.data)
    if user is None or not valid or not user.active or not user.memberships:
        form.password.errors = ["That email and password do not match an active account."]
        return render_template("auth/login.html", form=form), 401
    # A fresh session: nothing from before sign-in carries over.
    session.clear()
    login_user(user)
    session["sid"] = secrets.token_urlsafe(16)
    session["last_seen"] = time.time()
    session["clinic_id"] = user.memberships[0].clinic_id
    user.last_login_at = utcnow()
    db.session.commit()
    response = redirect(_safe_next(form.next.data), 303)
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        known_device_token(user),
        max_age=current_app.config["KNOWN_DEVICE_DAYS"] * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        path=url_for("auth.login"),
    )
    return response


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out, ending every copy of this session."""
    user = db.session.get(StaffUser, current_user.id)
    assert user is not None
    end_all_sessions(user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("auth.login"), 303)


@bp.post("/clinic")
@login_required
def switch_clinic() -> Response:
    """Work in another of one's clinics."""
    form = SwitchClinicForm()
    if not form.validate_on_submit() or current_user.role_at(form.clinic_id.data) is None:
        abort(404)
    session["clinic_id"] = form.clinic_id.data
    return redirect(url_for("dashboard.today"), 303)
