"""Staff sessions: loading the user, idle timeout, ending every session at logout."""
from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from booking.auth.two_factor import required_for
from booking.extensions import db, login
from booking.models import Membership, StaffUser

KNOWN_DEVICE_COOKIE = "known_device"


def load_user(identity: str) -> StaffUser | None:
    """The user for a session id "<id>:<version>", if that session is still valid."""
    try:
        user_id, version = (int(part) for part in identity.split(":"))
    except ValueError:
        return None
    # Their clinics come in the same query: every dashboard page needs them.
    user = db.session.get(
        StaffUser, user_id, options=[joinedload(StaffUser.memberships).joinedload(Membership.clinic)]
    )
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def end_all_sessions(user: StaffUser) -> None:
    """Invalidate every session cookie this user has, including copies."""
    user.session_version += 1


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def known_device_token(user: StaffUser) -> str:
    """A signed cookie value marking this browser as one the user signed in from."""
    return _device_serializer().dumps(user.id)


def known_device_user_id() -> int | None:
    """The user id this browser signed in as before, if its cookie is valid."""
    token = request.cookies.get(KNOWN_DEVICE_COOKIE)
    if not token:
        return None
    max_age = current_app.config["KNOWN_DEVICE_DAYS"] * 86400
    try:
        return int(_device_serializer().loads(token, max_age=max_age))
    except (BadSignature, ValueError, TypeError):
        return None


def init_sessions(app: Flask) -> None:
    """Load staff from their session cookie; sign them out after IDLE_TIMEOUT_MINUTES without a request."""
    login.user_loader(load_user)

    @app.before_request
    def enforce_idle_timeout() -> Response | None:
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        now = time.time()
        last = session.get("last_seen", now)
        if now - last > current_app.config["IDLE_TIMEOUT_MINUTES"] * 60:
            logout_user()
            session.clear()
            flash("You were signed out after a period of inactivity.")
            return redirect(url_for("auth.login", next=request.full_path if request.method in ("GET", "HEAD") else None))
        session["last_seen"] = now
        return None

    @app.before_request
    def require_two_factor() -> Response | None:
        # Where the setting asks for it, an admin without two-factor sees only its set-up.
        if (request.blueprint != "dashboard" or not current_user.is_authenticated
                or current_user.two_factor_on
                or not required_for(current_user, current_app.config["TWO_FACTOR_REQUIRED_FOR_ADMINS"])):
            return None
        flash("Admins must turn on two-factor sign-in before using the dashboard.")
        return redirect(url_for("auth.two_factor"))
