"""Settings: check-in (when it opens before a visit, and which questionnaires each service asks)."""
from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires
from booking.dashboard.settings.forms import _whole
from booking.dashboard.settings.views import INVALID, back_to, record_change, render_settings
from booking.domain.permissions import Permission
from booking.domain.questionnaires import DEFINITIONS, parse_instruments
from booking.extensions import db
from booking.limits import CHECKIN_OPENS_HOURS
from booking.models import AuditAction, CheckinSettings, Instrument, ServiceQuestionnaire
from booking.queries.checkins import instruments_by_service, opens_hours_before


class CheckinSettingsForm(FlaskForm):
    """How many hours before a visit check-in opens; the instruments come as `service-<id>` checkboxes."""

    opens_hours_before = _whole("Check-in opens this many hours before a visit", CHECKIN_OPENS_HOURS, "hour")


def _page(form: CheckinSettingsForm, chosen: dict[int, set[Instrument]], status: int = 200) -> tuple[str, int]:
    clinic = current_clinic()
    return render_settings("checkin.html", status, form=form, services=[s for s in clinic.services if s.active],
                           chosen=chosen, definitions=DEFINITIONS, instruments=list(Instrument))


@bp.get("/settings/checkin")
@requires(Permission.MANAGE_SETTINGS)
def settings_checkin() -> tuple[str, int]:
    """The check-in settings."""
    clinic = current_clinic()
    form = CheckinSettingsForm(data={"opens_hours_before": opens_hours_before(clinic.id)})
    return _page(form, instruments_by_service(clinic.id))


@bp.post("/settings/checkin")
@requires(Permission.MANAGE_SETTINGS)
def settings_checkin_save() -> Response | tuple[str, int]:
    """Save when check-in opens and each service's questionnaires (audited)."""
    clinic = current_clinic()
    form = CheckinSettingsForm()
    services = [s for s in clinic.services if s.active]
    wanted = {s.id: set(parse_instruments(request.form.getlist(f"service-{s.id}"))) for s in services}
    if not form.validate_on_submit():
        return _page(form, wanted, INVALID)
    before = instruments_by_service(clinic.id)
    changes: dict[str, object] = {}
    hours = form.opens_hours_before.data
    row = db.session.get(CheckinSettings, clinic.id)
    if opens_hours_before(clinic.id) != hours:
        changes["opens_hours_before"] = [opens_hours_before(clinic.id), hours]
    if row is None:
        db.session.add(CheckinSettings(clinic_id=clinic.id, opens_hours_before=hours))
    else:
        row.opens_hours_before = hours
    for service in services:
        old, new = before.get(service.id, set()), wanted[service.id]
        if old == new:
            continue
        changes[f"service_{service.id}"] = [sorted(i.value for i in old), sorted(i.value for i in new)]
        for instrument in old - new:
            db.session.query(ServiceQuestionnaire).filter_by(
                clinic_id=clinic.id, service_id=service.id, instrument=instrument).delete()
        for instrument in new - old:
            db.session.add(ServiceQuestionnaire(clinic_id=clinic.id, service_id=service.id, instrument=instrument))
    if not changes:
        db.session.rollback()
        return back_to("settings_checkin", "Nothing to save: the check-in settings are unchanged.")
    record_change(AuditAction.SETTINGS_CHECKIN_CHANGED, changes=changes)
    db.session.commit()
    return back_to("settings_checkin", "Check-in settings saved.")
