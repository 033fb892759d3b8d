"""What patients did on their pages shows up at the top of the front desk's request queue."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import (
    Appointment,
    AuditAction,
    AuditEvent,
    ChangeRequest,
    ChangeRequestStatus,
    Clinic,
    Role,
    utcnow,
)
from booking.templating import format_short_day
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.manage import link_for
from tests.support.sign_in import login


def staff_client(app: Flask, make_staff: Any, clinic: Clinic) -> FlaskClient:
    user = make_staff(clinic, role=Role.FRONT_DESK)
    client = app.test_client()
    assert login(client, user.email).status_code == 303
    return client


def test_change_requests_and_cancellations_are_listed_and_can_be_marked_done(
    app: Flask, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str,
    make_appointment: Any, make_staff: Any, make_clinic: Any,
) -> None:
    wanted = local(clinic, days_ahead(clinic, 6), 14)
    client.post(f"{url}/reschedule", data={"times": wanted.isoformat()})
    other = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[1],
                             local(clinic, days_ahead(clinic, 4), 9))
    client.post(f"{link_for(other)}/cancel")
    long_ago = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[1],
                                local(clinic, days_ahead(clinic, 8), 9))
    client.post(f"{link_for(long_ago)}/cancel")
    db.session.refresh(long_ago)
    long_ago.cancelled_at = utcnow() - timedelta(days=15)
    db.session.commit()

    desk = staff_client(app, make_staff, clinic)
    page = desk.get("/dashboard/requests/").get_data(as_text=True)
    assert "Patient changes" in page
    assert "Robin Canarysurname" in page
    assert f'href="/dashboard/appointments/{appt.id}"' in page
    assert f"{format_short_day(days_ahead(clinic, 6))} 2:00 PM" in page  # the preferred time
    assert f"{format_short_day(days_ahead(clinic, 3))} 10:00 AM" in page  # the appointment now
    assert "Cancelled by the patient" in page
    assert f'href="/dashboard/appointments/{other.id}"' in page
    assert f'href="/dashboard/appointments/{long_ago.id}"' not in page  # older than 14 days

    item = db.session.scalar(select(ChangeRequest))
    response = desk.post(f"/dashboard/change-requests/{item.id}/done")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ChangeRequest, item.id).status is ChangeRequestStatus.DONE
    page = desk.get("/dashboard/requests/").get_data(as_text=True)
    assert f"/dashboard/change-requests/{item.id}/done" not in page
    assert f'href="/dashboard/appointments/{other.id}"' in page  # the cancellation stays for 14 days


def test_another_clinics_staff_see_nothing_and_cannot_mark_done(
    app: Flask, client: FlaskClient, clinic: Clinic, appt: Appointment, url: str,
    make_staff: Any, make_clinic: Any,
) -> None:
    client.post(f"{url}/reschedule", data={"times": local(clinic, days_ahead(clinic, 6), 14).isoformat()})
    stranger = staff_client(app, make_staff, make_clinic(slug="elsewhere"))
    page = stranger.get("/dashboard/requests/").get_data(as_text=True)
    assert "Patient changes" not in page
    assert "Canarysurname" not in page
    item = db.session.scalar(select(ChangeRequest))
    assert stranger.post(f"/dashboard/change-requests/{item.id}/done").status_code == 404
    db.session.expire_all()
    assert db.session.get(ChangeRequest, item.id).status is ChangeRequestStatus.OPEN
    assert db.session.scalar(select(AuditEvent).filter_by(action=AuditAction.CHANGE_REQUEST_DONE)) is None
