"""Sign in (password, then the second factor), two-factor enrolment, sign out, switch clinic."""
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
from limits import parse_many
from sqlalchemy import func, select
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response

from booking import metrics
from booking.auth import bp, lockout
from booking.auth import two_factor as two_factor_lib
from booking.auth.forms import (
    CodeForm,
    DisableTwoFactorForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    SwitchClinicForm,
)
from booking.auth.sessions import (
    KNOWN_DEVICE_COOKIE,
    end_all_sessions,
    known_device_token,
    known_device_user_id,
    load_user,
)
from booking.auth.two_factor import required_for
from booking.extensions import db, limiter
from booking.forms import ActionForm
from booking.models import AuditAction, RecoveryCode, StaffUser, utcnow
from booking.operations import audit, staff_access

# Compared against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = (
    "scrypt:32768:8:1$qdkOdSqdXWxMarot$c7a8ad18435a747951a57db9dff500cc97f53f7c98fe10c834c1dd6a41ac0e03"
    "b20900e340816b0f7f130ccfb9c9e6fa9fbd8d6af751f1f04775c8dc9a75f537"
)


def _attempted_email() -> str:
    return (request.form.get("email") or "").strip().lower()


def _is_known_device(email: str) -> bool:
    user_id = known_device_user_id()
    if user_id is None:
        return False
    user = db.session.get(StaffUser, user_id)
    return user is not None and user.email == email


def _safe_next(target: str | None) -> str:
    # Only local paths: never bounce a signed-in user to another site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.today")


LOCKED = ("Too many failed sign-ins for this account. Try again in {minutes} minutes, "
          "or ask an admin of your clinic to unlock it.")
NO_MATCH = "That email and password do not match an active account."


def _locked_page(form: LoginForm, wait: int) -> tuple[str, int, dict[str, str]]:
    # The same answer for every email typed, known or not: nothing is given away.
    form.password.errors = [LOCKED.format(minutes=max(1, -(-wait // 60)))]
    return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
def login() -> Response | str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """Staff sign-in: the password, then the second factor if the account has one."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.today"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422 if request.method == "POST" else 200
    email = form.email.data.lower()
    known = _is_known_device(email)
    wait = 0 if known else lockout.seconds_locked(email)
    if wait:
        metrics.LOGIN_FAILURES.labels("locked").inc()
        return _locked_page(form, wait)
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email))
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, form.password.data)
    if user is None or not valid or not user.active or not user.memberships:
        metrics.LOGIN_FAILURES.labels("password").inc()
        if not known:
            lockout.count_failure(email)
        form.password.errors = [NO_MATCH]
        return render_template("auth/login.html", form=form), 401
    if user.two_factor_on:
        # The password was right; the session holds only who is half signed in, until the code.
        session.clear()
        session["pending_user"] = f"{user.id}:{user.session_version}"
        session["pending_since"] = time.time()
        session["pending_next"] = _safe_next(form.next.data)
        return redirect(url_for("auth.second_factor"), 303)
    return _complete_login(user, _safe_next(form.next.data))


def _complete_login(user: StaffUser, target: str) -> Response:
    if known_device_user_id() != user.id:
        staff_access.queue_new_sign_in_notice(user, utcnow())
    # A fresh session: nothing from before sign-in carries over.
    session.clear()
    login_user(user)
    session["sid"] = secrets.token_urlsafe(16)
    session["last_seen"] = time.time()
    session["clinic_id"] = user.memberships[0].clinic_id
    user.last_login_at = utcnow()
    db.session.commit()
    if not user.two_factor_on and required_for(user, current_app.config["TWO_FACTOR_REQUIRED_FOR_ADMINS"]):
        flash("Admins must turn on two-factor sign-in before using the dashboard.")
        target = url_for("auth.two_factor")
    response = redirect(target, 303)
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


def _pending_user() -> StaffUser | None:
    identity = session.get("pending_user")
    since = session.get("pending_since", 0)
    if not identity or time.time() - since > current_app.config["TWO_FACTOR_PENDING_SECONDS"]:
        return None
    user = load_user(identity)
    return user if user is not None and user.two_factor_on and user.memberships else None


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
def second_factor() -> Response | str | tuple[str, int] | tuple[str, int, dict[str, str]]:
    """The second step: a code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.clear()
        flash("Please sign in again.")
        return redirect(url_for("auth.login"), 303)
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/code.html", form=form), 422 if request.method == "POST" else 200
    known = _is_known_device(user.email)
    wait = 0 if known else lockout.seconds_locked(user.email)
    if wait:
        metrics.LOGIN_FAILURES.labels("locked").inc()
        session.clear()
        login_form = LoginForm(email=user.email)
        return _locked_page(login_form, wait)
    if two_factor_lib.verify(user, form.code.data) or two_factor_lib.use_recovery_code(user, form.code.data):
        target = session.get("pending_next") or url_for("dashboard.today")
        return _complete_login(user, target)
    db.session.rollback()
    metrics.LOGIN_FAILURES.labels("second_factor").inc()
    if not known:
        lockout.count_failure(user.email)
    form.code.errors = ["That code is not right. Codes change every 30 seconds; a recovery code works once."]
    return render_template("auth/code.html", form=form), 401


def _audit_everywhere(user: StaffUser, action: AuditAction) -> None:
    # Staff belong to several clinics: each clinic's log shows the change to its member.
    for membership in user.memberships:
        audit.record(membership.clinic_id, user.id, action, "staff", user.id)


@bp.get("/two-factor")
@login_required
def two_factor() -> str:
    """Two-factor status, with the way to turn it on or off."""
    user = db.session.get(StaffUser, current_user.id)
    assert user is not None
    return render_template("auth/two_factor.html", user=user, codes_left=two_factor_lib.recovery_codes_left(user),
                           required=required_for(user, current_app.config["TWO_FACTOR_REQUIRED_FOR_ADMINS"]),
                           form=DisableTwoFactorForm())


def _enrol_page(user: StaffUser, form: CodeForm, status: int = 200) -> tuple[str, int]:
    assert user.totp_secret is not None
    uri = two_factor_lib.provisioning_uri(user, user.totp_secret)
    return render_template("auth/two_factor_enrol.html", secret=user.totp_secret,
                           qr=two_factor_lib.qr_data_uri(uri), form=form), status


@bp.post("/two-factor/setup")
@login_required
def two_factor_setup() -> Response | tuple[str, int]:
    """A new secret, shown as a QR code and as text; on only once a code from the app confirms it."""
    user = db.session.get(StaffUser, current_user.id)
    assert user is not None
    if user.two_factor_on or not ActionForm().validate_on_submit():
        return redirect(url_for("auth.two_factor"), 303)
    user.totp_secret = two_factor_lib.new_secret()
    user.totp_last_step = None
    db.session.commit()
    return _enrol_page(user, CodeForm(formdata=None))


@bp.post("/two-factor/enable")
@login_required
def two_factor_enable() -> Response | str | tuple[str, int]:
    """Confirm enrolment with a code from the app; shows the recovery codes once."""
    user = db.session.get(StaffUser, current_user.id)
    assert user is not None
    if user.two_factor_on or user.totp_secret is None:
        return redirect(url_for("auth.two_factor"), 303)
    form = CodeForm()
    step = two_factor_lib.check_code(user.totp_secret, form.code.data or "", None) if form.validate_on_submit() else None
    if step is None:
        form.code.errors = form.code.errors or ["That code is not right. Check the app shows this account."]
        return _enrol_page(user, form, 422)
    user.totp_last_step = step
    user.totp_enabled_at = utcnow()
    codes = two_factor_lib.new_recovery_codes(user)
    _audit_everywhere(user, AuditAction.TWO_FACTOR_ENABLED)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/two-factor/disable")
@login_required
def two_factor_disable() -> Response | str | tuple[str, int]:
    """Turn two-factor off (not allowed where it is required); takes the password and a code."""
    user = db.session.get(StaffUser, current_user.id)
    assert user is not None
    required = required_for(user, current_app.config["TWO_FACTOR_REQUIRED_FOR_ADMINS"])
    form = DisableTwoFactorForm()
    if not user.two_factor_on or required:
        abort(403 if required else 409)
    ok = (form.validate_on_submit() and check_password_hash(user.password_hash, form.password.data)
          and two_factor_lib.verify(user, form.code.data))
    if not ok:
        db.session.rollback()
        form.code.errors = ["The password or the code is not right."]
        return render_template("auth/two_factor.html", user=user, required=False,
                               codes_left=two_factor_lib.recovery_codes_left(user), form=form), 422
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    for code in db.session.scalars(select(RecoveryCode).where(RecoveryCode.staff_id == user.id)):
        db.session.delete(code)
    _audit_everywhere(user, AuditAction.TWO_FACTOR_DISABLED)
    db.session.commit()
    flash("Two-factor sign-in is off.")
    return redirect(url_for("auth.two_factor"), 303)


SENT_IF_KNOWN = ("If an active account uses that email, we have sent it a link to choose a new password. "
                 "The link works once, for one hour.")


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
def forgot_password() -> Response | str | tuple[str, int]:
    """Ask for a reset link; the same answer whether the email is known or not."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form), 422 if request.method == "POST" else 200
    email = form.email.data.lower()
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email))
    # At most a few links an hour per address typed, silently: the answer never changes.
    allowed = all(limiter.limiter.hit(item, "password-reset", email)
                  for item in parse_many(current_app.config["PASSWORD_RESET_RATE_LIMIT"]))
    if user is not None and user.active and user.memberships and allowed:
        staff_access.queue_password_reset(user, utcnow())
        db.session.commit()
    flash(SENT_IF_KNOWN)
    return redirect(url_for("auth.login"), 303)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    """Choose a new password with a reset link; every session of the account ends."""
    now = utcnow()
    reset = staff_access.valid_reset(token, now) if len(token) <= 100 else None
    if reset is None:
        return render_template("auth/reset_invalid.html"), 404
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/reset.html", form=form, token=token), 422 if request.method == "POST" else 200
    user = staff_access.reset_password(reset, form.password.data, now)
    db.session.commit()
    lockout.unlock(user.email)
    if current_user.is_authenticated:
        logout_user()
    session.clear()
    flash("Your password is changed and your account is signed out everywhere. Sign in with the new password.")
    return redirect(url_for("auth.login"), 303)


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
