"""Clinic settings: every page for admins only, one clinic only; the booking rules saved and audited."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import AuditEvent, Chair, Clinic, Closure, OpeningHours, PrevisitInstructions, Role, Service
from tests.factories import service
from tests.support.settings_forms import INSTRUCTIONS
from tests.support.stored import chair_named, count, events, fresh

RULES = {
    "slot_step_minutes": "15",
    "min_notice_hours": "48",
    "horizon_days": "90",
    "instant_booking": "y",
    "reminder_days_before": "",
    "reminder_evening_before": "",
    "reminder_hours_before": "3",
}




def test_every_settings_page_shows_for_an_admin(admin: FlaskClient, clinic: Clinic) -> None:
    infusion = service(clinic, "infusion")
    pages = {
        "/dashboard/settings/": "Booking rules",
        "/dashboard/settings/hours": "Add opening hours",
        "/dashboard/settings/closures": "Close on whole days",
        "/dashboard/settings/chairs": "Add a chair or room",
        "/dashboard/settings/services": "Video consultation",
        f"/dashboard/settings/services/{infusion.id}": "Edit Infusion",
        "/dashboard/settings/instructions": "Bring your medication list.",
        "/dashboard/settings/instructions/default": "Default pre-visit instructions",
        f"/dashboard/settings/instructions/services/{infusion.id}": "Instructions for Infusion",
    }
    for url, text in pages.items():
        response = admin.get(url)
        assert response.status_code == 200, url
        assert text in response.get_data(as_text=True), url


def _all_settings_requests(clinic: Clinic) -> list[tuple[str, str, dict[str, str]]]:
    chair = chair_named(clinic, "Chair 1")
    infusion = service(clinic, "infusion")
    hours = db.session.scalar(select(OpeningHours).filter_by(clinic_id=clinic.id, weekday=0))
    closure = Closure(clinic_id=clinic.id, start_date=date(2031, 1, 1), end_date=date(2031, 1, 2))
    db.session.add(closure)
    db.session.commit()
    gets = ["/dashboard/settings/", "/dashboard/settings/hours", "/dashboard/settings/closures",
            "/dashboard/settings/chairs", "/dashboard/settings/services",
            f"/dashboard/settings/services/{infusion.id}", "/dashboard/settings/instructions",
            "/dashboard/settings/instructions/default",
            f"/dashboard/settings/instructions/services/{infusion.id}"]
    posts = [
        ("/dashboard/settings/rules", RULES),
        ("/dashboard/settings/hours/add", {"weekday": "0", "opens": "19:00", "closes": "20:00"}),
        (f"/dashboard/settings/hours/{hours.id}/delete", {}),
        ("/dashboard/settings/closures/dates", {"dates-start_date": "2031-02-01", "dates-end_date": "2031-02-01"}),
        ("/dashboard/settings/closures/period",
         {"period-starts": "2031-02-01T09:00", "period-ends": "2031-02-01T10:00"}),
        (f"/dashboard/settings/closures/{closure.id}/delete", {}),
        ("/dashboard/settings/chairs/add", {"name": "Chair 9", "kind": "infusion"}),
        (f"/dashboard/settings/chairs/{chair.id}/rename", {"name": "Window chair"}),
        (f"/dashboard/settings/chairs/{chair.id}/deactivate", {}),
        (f"/dashboard/settings/chairs/{chair.id}/activate", {}),
        (f"/dashboard/settings/services/{infusion.id}",
         {"name": "Renamed", "duration_minutes": "50", "recovery_minutes": "0"}),
        ("/dashboard/settings/instructions/default", INSTRUCTIONS),
        (f"/dashboard/settings/instructions/services/{infusion.id}", INSTRUCTIONS),
        (f"/dashboard/settings/instructions/services/{infusion.id}/delete", {}),
    ]
    return [("GET", url, {}) for url in gets] + [("POST", url, data) for url, data in posts]


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINICIAN])
def test_settings_and_audit_log_are_refused_to_other_roles(signed_in: Any, clinic: Clinic, role: Role) -> None:
    client = signed_in(clinic, role=role)
    for method, url, data in _all_settings_requests(clinic):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, (method, url)
    assert client.get("/dashboard/audit").status_code == 403
    assert 'href="/dashboard/settings/"' not in client.get("/dashboard/").get_data(as_text=True)
    assert fresh(Clinic, clinic.id).slot_step_minutes == 30
    assert chair_named(clinic, "Chair 1").active
    assert service(clinic, "infusion").name == "Infusion"
    assert count(AuditEvent) == 0


def test_booking_rules_are_saved_and_audited(admin: FlaskClient, clinic: Clinic) -> None:
    response = admin.post("/dashboard/settings/rules", data=RULES)
    assert response.status_code == 303
    saved = fresh(Clinic, clinic.id)
    assert (saved.slot_step_minutes, saved.min_notice_minutes, saved.horizon_days) == (15, 48 * 60, 90)
    assert saved.instant_booking is True
    assert (saved.reminder_days_before, saved.reminder_evening_before, saved.reminder_hours_before) == (None, False, 3)
    [event] = events("settings_rules_changed")
    assert (event.clinic_id, event.entity, event.entity_id) == (clinic.id, "clinic", clinic.id)
    assert event.staff_id == admin.user.id  # type: ignore[attr-defined]
    assert event.details["changes"]["slot_step_minutes"] == [30, 15]
    assert "Booking rules saved." in admin.get("/dashboard/settings/").get_data(as_text=True)


@pytest.mark.parametrize("field,value,message", [
    ("slot_step_minutes", "3", "The slot step must be a whole number from 5 to 240."),
    ("slot_step_minutes", "ten", "The slot step must be a whole number from 5 to 240."),
    ("horizon_days", "731", "The horizon must be a whole number from 1 to 730."),
    ("min_notice_hours", "-1", "The minimum notice must be a whole number from 0 to 720."),
    ("reminder_days_before", "15", "Choose Off or 1 to 14 days."),
    ("reminder_hours_before", "0", "Choose Off or 1 to 24 hours."),
])
def test_bad_booking_rules_are_refused(admin: FlaskClient, clinic: Clinic, field: str, value: str,
                                       message: str) -> None:
    response = admin.post("/dashboard/settings/rules", data={**RULES, field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    saved = fresh(Clinic, clinic.id)
    assert (saved.slot_step_minutes, saved.horizon_days, saved.instant_booking) == (30, 60, False)
    assert events("settings_rules_changed") == []


def test_another_clinics_records_are_not_found(signed_in: Any, make_clinic: Any) -> None:
    mine, theirs = make_clinic(name="Mine"), make_clinic(name="Theirs")
    admin = signed_in(mine, role=Role.ADMIN)
    chair = chair_named(theirs, "Chair 1")
    infusion = service(theirs, "infusion")
    hours = db.session.scalar(select(OpeningHours).filter_by(clinic_id=theirs.id, weekday=0))
    closure = Closure(clinic_id=theirs.id, start_date=date(2031, 1, 1), end_date=date(2031, 1, 1))
    db.session.add(closure)
    db.session.commit()
    requests = [
        (f"/dashboard/settings/chairs/{chair.id}/rename", {"name": "Stolen"}),
        (f"/dashboard/settings/chairs/{chair.id}/deactivate", {}),
        (f"/dashboard/settings/services/{infusion.id}", {"name": "Stolen", "duration_minutes": "30",
                                                         "recovery_minutes": "0"}),
        (f"/dashboard/settings/hours/{hours.id}/delete", {}),
        (f"/dashboard/settings/closures/{closure.id}/delete", {}),
        (f"/dashboard/settings/instructions/services/{infusion.id}", INSTRUCTIONS),
        (f"/dashboard/settings/instructions/services/{infusion.id}/delete", {}),
    ]
    for url, data in requests:
        assert admin.post(url, data=data).status_code == 404, url
    assert admin.get(f"/dashboard/settings/services/{infusion.id}").status_code == 404
    assert (fresh(Chair, chair.id).name, fresh(Chair, chair.id).active) == ("Chair 1", True)
    assert fresh(Service, infusion.id).name == "Infusion"
    assert fresh(OpeningHours, hours.id) is not None
    assert fresh(Closure, closure.id) is not None
    assert count(PrevisitInstructions, clinic_id=theirs.id) == 1
    assert count(AuditEvent) == 0
