"""Settings: the front desk's timing (how early a patient may be checked in, when a no-show may be marked)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import IntegerField

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires
from booking.dashboard.settings.forms import Between
from booking.dashboard.settings.views import INVALID, back_to, record_change, render_settings
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.limits import ARRIVAL_WINDOW_MINUTES, NO_SHOW_GRACE_MINUTES
from booking.models import AuditAction

_FIELDS = ("arrival_window_minutes", "no_show_grace_minutes")


class FrontDeskForm(FlaskForm):
    """When the day's moves open: arrival before the start, no-show after it."""

    arrival_window_minutes = IntegerField("Check in from (minutes before the start)", validators=[
        Between(ARRIVAL_WINDOW_MINUTES.low, ARRIVAL_WINDOW_MINUTES.high, "The check-in window")])
    no_show_grace_minutes = IntegerField("No-show after (minutes past the start)", validators=[
        Between(NO_SHOW_GRACE_MINUTES.low, NO_SHOW_GRACE_MINUTES.high, "The no-show grace period")])


@bp.get("/settings/front-desk")
@requires(Permission.MANAGE_SETTINGS)
def settings_front_desk() -> tuple[str, int]:
    """The front desk's timing."""
    return render_settings("front_desk.html", form=FrontDeskForm(obj=current_clinic()))


@bp.post("/settings/front-desk")
@requires(Permission.MANAGE_SETTINGS)
def settings_front_desk_save() -> Response | tuple[str, int]:
    """Save the front desk's timing."""
    clinic = current_clinic()
    form = FrontDeskForm(obj=clinic)
    if not form.validate_on_submit():
        return render_settings("front_desk.html", INVALID, form=form)
    changes = {name: [getattr(clinic, name), getattr(form, name).data] for name in _FIELDS
               if getattr(clinic, name) != getattr(form, name).data}
    if not changes:
        return back_to("settings_front_desk", "Nothing to save: the front desk timing is unchanged.")
    for name, (_, value) in changes.items():
        setattr(clinic, name, value)
    record_change(AuditAction.SETTINGS_FRONT_DESK_CHANGED, changes=changes)
    db.session.commit()
    return back_to("settings_front_desk", "Front desk timing saved.")
