"""Settings an admin can change: patients may rebook themselves, the date locale, the phone region."""
from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from booking.models import Clinic, Role
from tests.support.stored import events, fresh


def test_an_admin_changes_rebooking_locale_and_phone_region(admin: FlaskClient, clinic: Clinic) -> None:
    page = admin.get("/dashboard/settings/clinic").get_data(as_text=True)
    assert '<option selected value="en_US">' in page and '<option selected value="US">' in page
    answer = admin.post("/dashboard/settings/clinic", data={
        "patients_can_rebook": "y", "locale": "en_GB", "phone_region": "GB"})
    assert answer.status_code == 303
    saved = fresh(Clinic, clinic.id)
    assert (saved.patients_can_rebook, saved.locale, saved.phone_region) == (True, "en_GB", "GB")
    [event] = events("settings_clinic_changed")
    assert event.details == {"changes": {"patients_can_rebook": [False, True], "locale": ["en_US", "en_GB"],
                                         "phone_region": ["US", "GB"]}}
    assert "Clinic settings saved." in admin.get("/dashboard/settings/clinic").get_data(as_text=True)


def test_an_unknown_locale_or_region_is_refused_with_the_form_kept(admin: FlaskClient, clinic: Clinic) -> None:
    answer = admin.post("/dashboard/settings/clinic", data={"locale": "xx_YY", "phone_region": "ZZ"})
    assert answer.status_code == 422
    assert "Not a valid choice" in answer.get_data(as_text=True)
    assert fresh(Clinic, clinic.id).locale == "en_US"
    assert events("settings_clinic_changed") == []


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINICIAN])
def test_only_admins(signed_in: Any, clinic: Clinic, role: Role) -> None:
    client = signed_in(clinic, role=role)
    assert client.get("/dashboard/settings/clinic").status_code == 403
    assert client.post("/dashboard/settings/clinic", data={"locale": "en_GB", "phone_region": "GB"}).status_code == 403
