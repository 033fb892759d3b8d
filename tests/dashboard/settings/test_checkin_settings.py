"""Check-in settings: hours before a visit, each service's questionnaires; admins only, audited."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import AuditAction, AuditEvent, Clinic, Instrument, Role
from booking.queries.checkins import instruments_for, opens_hours_before
from tests.factories import service


def test_admin_sets_hours_and_questionnaires(signed_in: Callable[..., FlaskClient], make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    admin = signed_in(clinic, role=Role.ADMIN)
    page = admin.get("/dashboard/settings/checkin")
    assert page.status_code == 200 and 'value="48"' in page.get_data(as_text=True)
    infusion, consult = service(clinic, "infusion"), service(clinic, "consult")
    response = admin.post("/dashboard/settings/checkin", data={
        "opens_hours_before": "24", f"service-{infusion.id}": ["phq9", "gad7"], f"service-{consult.id}": ["phq9"]})
    assert response.status_code == 303
    db.session.expire_all()
    assert opens_hours_before(clinic.id) == 24
    assert instruments_for(infusion) == (Instrument.PHQ9, Instrument.GAD7)
    assert instruments_for(consult) == (Instrument.PHQ9,)
    admin.post("/dashboard/settings/checkin", data={"opens_hours_before": "24", f"service-{infusion.id}": ["pain"]})
    db.session.expire_all()
    assert instruments_for(infusion) == (Instrument.PAIN,) and instruments_for(consult) == ()
    events = db.session.scalars(select(AuditEvent).filter_by(action=AuditAction.SETTINGS_CHECKIN_CHANGED)).all()
    assert len(events) == 2


def test_out_of_range_hours_are_refused_with_choices_kept(signed_in: Callable[..., FlaskClient],
                                                          make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    admin = signed_in(clinic, role=Role.ADMIN)
    infusion = service(clinic, "infusion")
    response = admin.post("/dashboard/settings/checkin", data={"opens_hours_before": "500",
                                                               f"service-{infusion.id}": ["pcl5"]})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="service-{infusion.id}-pcl5" name="service-{infusion.id}" value="pcl5" checked' in html
    db.session.expire_all()
    assert instruments_for(infusion) == () and opens_hours_before(clinic.id) == 48


def test_only_admins(signed_in: Callable[..., FlaskClient], make_clinic: Any) -> None:
    clinic: Clinic = make_clinic()
    for role in (Role.FRONT_DESK, Role.CLINICIAN):
        client = signed_in(clinic, role=role)
        assert client.get("/dashboard/settings/checkin").status_code == 403
        assert client.post("/dashboard/settings/checkin", data={"opens_hours_before": "2"}).status_code == 403
