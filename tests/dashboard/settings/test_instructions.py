"""Pre-visit instruction settings: the default and per-service overrides, saved, refused and audited."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import Clinic, PrevisitInstructions
from tests.factories import service
from tests.support.settings_forms import INSTRUCTIONS
from tests.support.stored import count, default_instructions, events, fresh


def test_default_instructions_are_edited(admin: FlaskClient, clinic: Clinic) -> None:
    response = admin.post("/dashboard/settings/instructions/default", data=INSTRUCTIONS)
    assert response.status_code == 303
    row = default_instructions(clinic)
    assert (row.fasting_hours, row.clear_liquids_hours, row.driver_required) == (None, 4, True)
    assert (row.medication_review, row.other) == ("Bring every bottle.", "Wear layers.")
    [event] = events("settings_instructions_changed")
    assert event.details["service_id"] is None
    assert "fasting_hours" in event.details["fields"]


@pytest.mark.parametrize("field,value,message", [
    ("fasting_hours", "25", "Fasting hours must be a whole number from 0 to 24."),
    ("clear_liquids_hours", "-1", "Clear-liquids hours must be a whole number from 0 to 24."),
    ("other", "x" * 2001, "Keep this to 2000 characters or fewer."),
])
def test_bad_instructions_are_refused(admin: FlaskClient, clinic: Clinic, field: str, value: str,
                                      message: str) -> None:
    response = admin.post("/dashboard/settings/instructions/default", data={**INSTRUCTIONS, field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    row = default_instructions(clinic)
    assert (row.fasting_hours, row.clear_liquids_hours, row.other) == (6, 2, "Arrive early.")
    assert events("settings_instructions_changed") == []


def test_a_service_override_is_added_edited_and_removed(admin: FlaskClient, clinic: Clinic) -> None:
    infusion = service(clinic, "infusion")
    url = f"/dashboard/settings/instructions/services/{infusion.id}"
    assert "Bring your medication list." in admin.get(url).get_data(as_text=True)  # starts from the default
    assert admin.post(url, data={**INSTRUCTIONS, "fasting_hours": "8"}).status_code == 303
    db.session.rollback()
    override = db.session.scalar(select(PrevisitInstructions).filter_by(clinic_id=clinic.id, service_id=infusion.id))
    assert (override.fasting_hours, override.clear_liquids_hours) == (8, 4)
    assert default_instructions(clinic).fasting_hours == 6
    assert admin.post(url, data={**INSTRUCTIONS, "fasting_hours": "10"}).status_code == 303
    assert fresh(PrevisitInstructions, override.id).fasting_hours == 10
    assert admin.post(url + "/delete").status_code == 303
    assert count(PrevisitInstructions, clinic_id=clinic.id) == 1
    assert [e.details["service_id"] for e in events("settings_instructions_override_added")] == [infusion.id]
    assert len(events("settings_instructions_changed")) == 1
    assert len(events("settings_instructions_override_removed")) == 1
