"""Clinic settings (admin only): the booking rules, and what every settings page shares.

The other settings pages live beside this module, one per concept, as their
templates do in templates/dashboard/settings/: `calendar` (opening hours,
closures), `resources` (chairs, services) and `instructions` (pre-visit instructions).
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires
from booking.dashboard.settings.forms import BookingRulesForm
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.models import AuditAction
from booking.operations import audit

# Form problems answer 422 so a client (and a test) can tell them from success.
INVALID = 422

_RULE_FIELDS = (
    "slot_step_minutes",
    "min_notice_minutes",
    "horizon_days",
    "instant_booking",
    "reminder_days_before",
    "reminder_evening_before",
    "reminder_hours_before",
)


def render_settings(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """Render one of the `dashboard/settings/` templates with `status`."""
    return render_template(f"dashboard/settings/{template}", **context), status


def record_change(action: AuditAction, **details: Any) -> None:
    """Audit a settings change against the current clinic (ids and codes only)."""
    clinic = current_clinic()
    audit.record(clinic.id, actor_id(), action, "clinic", clinic.id, **details)


def back_to(endpoint: str, message: str) -> Response:
    """Flash `message` and go back to a settings page (303 so the browser GETs it)."""
    flash(message, "success")
    return redirect(url_for(f"dashboard.{endpoint}"), 303)


def _rules_form() -> BookingRulesForm:
    clinic = current_clinic()
    return BookingRulesForm(obj=clinic, min_notice_hours=clinic.min_notice_minutes // 60)


@bp.get("/settings/")
@requires(Permission.MANAGE_SETTINGS)
def settings_home() -> tuple[str, int]:
    """Settings overview, with the booking rules form."""
    return render_settings("index.html", form=_rules_form())


@bp.post("/settings/rules")
@requires(Permission.MANAGE_SETTINGS)
def settings_rules() -> Response | tuple[str, int]:
    """Save the booking rules."""
    form = _rules_form()
    if not form.validate_on_submit():
        return render_settings("index.html", INVALID, form=form)
    clinic = current_clinic()
    new = {
        "slot_step_minutes": form.slot_step_minutes.data,
        "min_notice_minutes": form.min_notice_hours.data * 60,
        "horizon_days": form.horizon_days.data,
        "instant_booking": form.instant_booking.data,
        "reminder_days_before": form.reminder_days_before.data,
        "reminder_evening_before": form.reminder_evening_before.data,
        "reminder_hours_before": form.reminder_hours_before.data,
    }
    changes = {name: [getattr(clinic, name), new[name]] for name in _RULE_FIELDS
               if getattr(clinic, name) != new[name]}
    if not changes:
        return back_to("settings_home", "Nothing to save: the booking rules are unchanged.")
    for name, (_, value) in changes.items():
        setattr(clinic, name, value)
    record_change(AuditAction.SETTINGS_RULES_CHANGED, changes=changes)
    db.session.commit()
    return back_to("settings_home", "Booking rules saved.")

