"""Settings for chairs and rooms, and services: saved and audited, refused with clear errors."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from booking.models import Chair, ChairKind, Clinic, Service
from tests.factories import service
from tests.support.stored import chair_named, count, events, fresh


def test_a_service_is_edited_and_audited(admin: FlaskClient, clinic: Clinic) -> None:
    infusion = service(clinic, "infusion")
    response = admin.post(f"/dashboard/settings/services/{infusion.id}", data={
        "name": "Ketamine infusion", "description": "Forty minutes in a reclining chair.",
        "duration_minutes": "40", "recovery_minutes": "60", "needs_chair": "y", "active": "y"})
    assert response.status_code == 303
    saved = fresh(Service, infusion.id)
    assert (saved.name, saved.duration_minutes, saved.recovery_minutes) == ("Ketamine infusion", 40, 60)
    assert (saved.needs_chair, saved.public, saved.active) == (True, False, True)
    [event] = events("settings_service_changed")
    assert event.details["service_id"] == infusion.id
    assert set(event.details["fields"]) == {"name", "description", "duration_minutes", "recovery_minutes"}
    assert event.details["changes"]["duration_minutes"] == [60, 40]


@pytest.mark.parametrize("field,value,message", [
    ("duration_minutes", "481", "The duration must be a whole number from 5 to 480."),
    ("duration_minutes", "", "The duration must be a whole number from 5 to 480."),
    ("recovery_minutes", "361", "The recovery time must be a whole number from 0 to 360."),
    ("name", "", "Enter the service&#39;s name."),
])
def test_bad_service_edits_are_refused(admin: FlaskClient, clinic: Clinic, field: str, value: str,
                                       message: str) -> None:
    infusion = service(clinic, "infusion")
    data = {"name": "Infusion", "duration_minutes": "30", "recovery_minutes": "0", "needs_chair": "y", field: value}
    response = admin.post(f"/dashboard/settings/services/{infusion.id}", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    saved = fresh(Service, infusion.id)
    assert (saved.name, saved.duration_minutes, saved.recovery_minutes) == ("Infusion", 60, 45)
    assert events("settings_service_changed") == []


def test_chairs_are_added_renamed_and_deactivated_never_deleted(admin: FlaskClient, clinic: Clinic) -> None:
    assert admin.post("/dashboard/settings/chairs/add", data={"name": "Room B", "kind": "consult"}).status_code == 303
    room = chair_named(clinic, "Room B")
    assert (room.kind, room.active) == (ChairKind.CONSULT, True)
    assert admin.post(f"/dashboard/settings/chairs/{room.id}/rename", data={"name": "Quiet room"}).status_code == 303
    assert fresh(Chair, room.id).name == "Quiet room"
    assert admin.post(f"/dashboard/settings/chairs/{room.id}/deactivate").status_code == 303
    assert fresh(Chair, room.id).active is False
    assert "Quiet room is now inactive." in admin.get("/dashboard/settings/chairs").get_data(as_text=True)
    assert admin.post(f"/dashboard/settings/chairs/{room.id}/activate").status_code == 303
    assert fresh(Chair, room.id).active is True
    for action in ("added", "renamed", "deactivated", "activated"):
        [event] = events(f"settings_chair_{action}")
        assert event.details["chair_id"] == room.id and event.entity_id == clinic.id
    # There is no way to delete one: appointments refer to chairs.
    assert admin.post(f"/dashboard/settings/chairs/{room.id}/delete").status_code == 404
    assert fresh(Chair, room.id) is not None


@pytest.mark.parametrize("data,message", [
    ({"name": "chair 1", "kind": "infusion"}, "Another chair or room is already called that."),
    ({"name": "   ", "kind": "infusion"}, "Enter a name for the chair or room."),
    ({"name": "Chair 7", "kind": "sofa"}, "Choose infusion chair or consultation room."),
    ({"name": "x" * 61, "kind": "infusion"}, "Keep the name to 60 characters or fewer."),
])
def test_bad_chairs_are_refused(admin: FlaskClient, clinic: Clinic, data: dict[str, str], message: str) -> None:
    response = admin.post("/dashboard/settings/chairs/add", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Chair, clinic_id=clinic.id) == 3
    assert events("settings_chair_added") == []


def test_a_rename_to_a_taken_name_is_refused(admin: FlaskClient, clinic: Clinic) -> None:
    chair = chair_named(clinic, "Chair 2")
    response = admin.post(f"/dashboard/settings/chairs/{chair.id}/rename", data={"name": "ROOM"})
    assert response.status_code == 422
    assert "Another chair or room is already called that." in response.get_data(as_text=True)
    assert fresh(Chair, chair.id).name == "Chair 2"
    assert events("settings_chair_renamed") == []
