"""Calendar settings: opening hours and closures, saved in the clinic's zone, refused with clear errors."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import Clinic, Closure, OpeningHours
from tests.support.stored import count, events, hours_of


def test_opening_hours_added_next_to_a_range_and_deleted(admin: FlaskClient, clinic: Clinic) -> None:
    response = admin.post("/dashboard/settings/hours/add", data={"weekday": "2", "opens": "18:00", "closes": "20:30"})
    assert response.status_code == 303
    assert hours_of(clinic, 2) == [(time(8), time(18)), (time(18), time(20, 30))]
    [added] = events("settings_hours_added")
    assert added.details["weekday"] == 2 and added.details["opens"] == "18:00"
    morning = db.session.scalar(select(OpeningHours).filter_by(clinic_id=clinic.id, weekday=2, opens=time(8)))
    assert admin.post(f"/dashboard/settings/hours/{morning.id}/delete").status_code == 303
    assert hours_of(clinic, 2) == [(time(18), time(20, 30))]
    [deleted] = events("settings_hours_deleted")
    assert deleted.details["hours_id"] == morning.id
    assert "18:00–20:30" in admin.get("/dashboard/settings/hours").get_data(as_text=True)


@pytest.mark.parametrize("opens,closes,message", [
    ("17:00", "19:00", "This overlaps 08:00–18:00 on Tuesday."),
    ("07:00", "19:00", "This overlaps 08:00–18:00 on Tuesday."),
    ("12:00", "12:00", "The closing time must be after the opening time."),
    ("21:00", "20:00", "The closing time must be after the opening time."),
    ("9am", "20:00", "Enter the opening time as hours and minutes"),
])
def test_bad_opening_hours_are_refused(admin: FlaskClient, clinic: Clinic, opens: str, closes: str,
                                       message: str) -> None:
    response = admin.post("/dashboard/settings/hours/add", data={"weekday": "1", "opens": opens, "closes": closes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert hours_of(clinic, 1) == [(time(8), time(18))]
    assert events("settings_hours_added") == []


def test_closed_dates_are_saved_listed_and_deleted(admin: FlaskClient, clinic: Clinic) -> None:
    db.session.add(Closure(clinic_id=clinic.id, start_date=date(2020, 1, 1), end_date=date(2020, 1, 2),
                           reason="Long past"))
    db.session.commit()
    response = admin.post("/dashboard/settings/closures/dates", data={
        "dates-start_date": "2031-12-24", "dates-end_date": "2031-12-26", "dates-reason": "Holidays"})
    assert response.status_code == 303
    closure = db.session.scalar(select(Closure).filter_by(clinic_id=clinic.id, reason="Holidays"))
    assert (closure.start_date, closure.end_date, closure.starts_at) == (date(2031, 12, 24), date(2031, 12, 26), None)
    [event] = events("settings_closure_added")
    assert event.details == {"closure_id": closure.id, "start_date": "2031-12-24", "end_date": "2031-12-26"}
    page = admin.get("/dashboard/settings/closures").get_data(as_text=True)
    assert "Wednesday, December 24, 2031" in page and "Holidays" in page
    assert "Long past" not in page
    assert admin.post(f"/dashboard/settings/closures/{closure.id}/delete").status_code == 303
    assert count(Closure, reason="Holidays") == 0
    assert len(events("settings_closure_deleted")) == 1


@pytest.mark.parametrize("starts,ends,utc_start,utc_end", [
    # Chicago is UTC-6 in January and UTC-5 in July.
    ("2031-01-10T09:00", "2031-01-10T12:30", datetime(2031, 1, 10, 15), datetime(2031, 1, 10, 18, 30)),
    ("2031-07-10T09:00", "2031-07-10T12:30", datetime(2031, 7, 10, 14), datetime(2031, 7, 10, 17, 30)),
])
def test_a_closed_period_is_read_in_the_clinic_zone_and_stored_in_utc(
    admin: FlaskClient, clinic: Clinic, starts: str, ends: str, utc_start: datetime, utc_end: datetime
) -> None:
    response = admin.post("/dashboard/settings/closures/period", data={
        "period-starts": starts, "period-ends": ends, "period-reason": "Staff training"})
    assert response.status_code == 303
    db.session.rollback()
    closure = db.session.scalar(select(Closure).filter_by(clinic_id=clinic.id))
    assert closure.start_date is None
    assert closure.starts_at == utc_start.replace(tzinfo=timezone.utc)
    assert closure.ends_at == utc_end.replace(tzinfo=timezone.utc)
    page = admin.get("/dashboard/settings/closures").get_data(as_text=True)
    assert "9:00 AM" in page and "12:30 PM" in page


@pytest.mark.parametrize("data,message", [
    ({"dates-start_date": "2031-12-26", "dates-end_date": "2031-12-24"}, "The last day cannot be before the first day."),
    ({"dates-start_date": "2031-12-26", "dates-end_date": ""}, "Enter the last day the clinic is closed."),
    ({"period-starts": "2031-01-10T12:00", "period-ends": "2031-01-10T12:00"}, "The end must be after the start."),
    ({"period-starts": "2031-01-10T12:00", "period-ends": "2031-01-10T11:00"}, "The end must be after the start."),
    # 02:30 never happens in Chicago on the morning clocks go forward.
    ({"period-starts": "2031-03-09T02:30", "period-ends": "2031-03-09T05:00"}, "the clocks skip it"),
])
def test_bad_closures_are_refused(admin: FlaskClient, clinic: Clinic, data: dict[str, str], message: str) -> None:
    url = "/dashboard/settings/closures/" + ("dates" if "dates-start_date" in data else "period")
    response = admin.post(url, data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Closure) == 0
    assert events("settings_closure_added") == []


