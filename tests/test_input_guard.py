"""Input no database can store, and numbers no id can be: a clear 400 or 404, never a 500.

A NUL character cannot go into PostgreSQL text; bytes that are not UTF-8 (a lone
surrogate such as %ED%A0%80, or %FF) are not text at all. Both are refused as a
whole before any view runs, and nothing is stored. Ids past an integer column's
range are not found; dates and times near the ends of the calendar are refused, and
page numbers past any page are clamped.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote_from_bytes, unquote_to_bytes

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import DataError

from booking.extensions import db
from booking.input_guard import MAX_ID
from booking.mail.links import issue_token
from booking.models import (
    Appointment,
    ChangeRequest,
    Clinic,
    ConsultationRequest,
    OutboxMessage,
    Patient,
    Role,
    StaffUser,
    utcnow,
)
from tests.factories import chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.request_form import form_data
from tests.support.sign_in import login

UNREADABLE = "could not be read"
NUL = "\x00"
SURROGATE = "\ud800"  # sent as the bytes ED A0 80, which are not UTF-8
HUGE = "99999999999999999999"
# Times at the ends of the calendar: neither can be moved to UTC.
CALENDAR_ENDS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00"]

FormValue = str | bytes | Sequence[str | bytes]


def as_bytes(value: Any) -> bytes:
    """What a broken client would send: UTF-8, lone surrogates kept as their 3 bytes."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def urlencoded(fields: Mapping[Any, FormValue]) -> bytes:
    """An application/x-www-form-urlencoded body, byte for byte (no validation on the way)."""
    pairs = []
    for name, value in fields.items():
        values = [value] if isinstance(value, str | bytes) else value
        pairs.extend(
            f"{quote_from_bytes(as_bytes(name), safe='')}={quote_from_bytes(as_bytes(v), safe='')}"
            for v in values
        )
    return "&".join(pairs).encode("ascii")


def post_raw(client: FlaskClient, url: str, fields: Mapping[Any, FormValue]) -> Any:
    """POST `fields` as a form, whatever bytes they hold."""
    return client.post(url, data=urlencoded(fields), content_type="application/x-www-form-urlencoded")


def served(client: FlaskClient, method: str, url: str, **options: Any) -> Any:
    """A request as a WSGI server passes it on: the path decoded to bytes, whatever they are.

    (Werkzeug's test client would decode the path as UTF-8 first, turning bytes that are not
    UTF-8 into U+FFFD before the app sees them; gunicorn passes them through.)
    """
    path = url.split("?", 1)[0]
    environ = {"PATH_INFO": unquote_to_bytes(path).decode("latin-1")}
    return client.open(url, method=method, environ_overrides=environ, **options)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def clinic(make_clinic: Callable[..., Clinic]) -> Clinic:
    return make_clinic(slug="lakeside")


@pytest.fixture
def manage_url(clinic: Clinic, make_appointment: Callable[..., Appointment]) -> str:
    """The secret link to an infusion in three days."""
    appt = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, days_ahead(clinic, 3), 10))
    token = issue_token(appt, utcnow())
    db.session.commit()
    return f"/manage/{token}"


def refused(response: Any) -> bool:
    """A 400 page that says what was wrong."""
    return response.status_code == 400 and UNREADABLE in response.get_data(as_text=True)


# --- Addresses --------------------------------------------------------------------------

UNREADABLE_PATHS = ["/%00/", "/%00/request", "/lakeside%00/", "/lakeside/request%00", "/%ED%A0%80/", "/%FF/request",
                    "/manage/%00", "/manage/%C0%80/driver", "/staff/login%00", "/dashboard/requests/%00"]


def test_a_path_with_a_nul_or_bytes_that_are_not_utf8_is_refused(client: FlaskClient, clinic: Clinic) -> None:
    for path in UNREADABLE_PATHS:
        assert refused(served(client, "GET", path)), path
        assert refused(served(client, "POST", path, data={})), path


def test_a_query_argument_with_a_nul_or_bytes_that_are_not_utf8_is_refused(client: FlaskClient, clinic: Clinic) -> None:
    for query in ("x=%00", "%00=1", "next=%FF", "q=%ED%A0%80", "service=consult%00", "a=1&b=%C0%80"):
        for path in ("/", "/lakeside/", "/lakeside/request", "/staff/login"):
            assert refused(client.get(f"{path}?{query}")), f"{path}?{query}"


def test_readable_text_in_paths_and_arguments_is_not_refused(client: FlaskClient, clinic: Clinic) -> None:
    # Non-ASCII, and a real U+FFFD, are text like any other.
    assert served(client, "GET", "/zo%C3%AB/").status_code == 404
    assert served(client, "GET", "/lakeside/?q=%EF%BF%BD%F0%9F%98%80&x=%C3%A9+%2B").status_code == 200
    clinic.slug = "zoë"
    db.session.commit()
    assert served(client, "GET", "/zo%C3%AB/").status_code == 200


# --- The JSON API -----------------------------------------------------------------------

API = "/api/v1/clinics/{slug}/availability"


def test_the_api_refuses_a_nul_in_the_clinic_slug_in_json(client: FlaskClient, clinic: Clinic) -> None:
    for slug in ("%00", "lakeside%00", "%ED%A0%80"):
        response = served(client, "GET", API.format(slug=slug) + "?service=consult")
        assert response.status_code == 400 and response.is_json, slug
        error = response.get_json()["error"]
        assert error["status"] == 400 and UNREADABLE in error["message"], slug


def test_the_api_refuses_an_unreadable_service_naming_the_field(client: FlaskClient, clinic: Clinic) -> None:
    for value in ("%00", "consult%00", "%ED%A0%80", "%FF"):
        response = client.get(API.format(slug="lakeside") + f"?service={value}")
        assert response.status_code == 400 and response.is_json, value
        error = response.get_json()["error"]
        assert error["field"] == "service" and UNREADABLE in error["message"], value


def test_the_api_refuses_huge_numbers_and_far_dates(client: FlaskClient, clinic: Clinic) -> None:
    for query, field in [(f"days={HUGE}", "days"), ("days=" + "9" * 5000, "days"), (f"days=-{HUGE}", "days"),
                         ("days=1e309", "days"), ("from=9999-12-31", "from"), ("from=0001-01-01", "from"),
                         ("from=99999-01-01", "from")]:
        response = client.get(API.format(slug="lakeside") + f"?service=consult&{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["field"] == field, query


# --- Sign-in ----------------------------------------------------------------------------


def test_sign_in_with_unreadable_input_is_refused_and_signs_nobody_in(
    client: FlaskClient, clinic: Clinic, make_staff: Any
) -> None:
    staff = make_staff(clinic, email="desk@staff.example")
    valid: dict[str, FormValue] = {"email": staff.email, "password": "a long test password", "next": ""}
    for changes in [{"email": NUL}, {"email": staff.email + NUL}, {"email": b"\xff" + staff.email.encode()},
                    {"password": "a long test password" + SURROGATE}, {"next": "/dashboard/" + NUL}]:
        response = post_raw(client, "/staff/login", {**valid, **changes})
        assert refused(response), changes
        assert "known_device" not in response.headers.get("Set-Cookie", ""), changes
        assert client.get("/dashboard/").status_code == 302, changes  # still signed out
    db.session.expire_all()
    assert db.session.get(StaffUser, staff.id).last_login_at is None
    assert post_raw(client, "/staff/login", valid).status_code == 303  # the same, readable, signs in


# --- The public request form (and instant booking) --------------------------------------

FORM_FIELDS = ["service", "full_name", "email", "phone", "date_of_birth", "concern", "concern_details",
               "heart_condition", "medications", "support_person", "preferred_times", "consent_privacy", "website"]


def test_a_request_form_field_with_unreadable_text_stores_nothing(client: FlaskClient, clinic: Clinic) -> None:
    for field in FORM_FIELDS:
        for bad in ("Robin" + NUL + "Test", SURROGATE, b"\xff", b"\xc0\x80"):
            assert refused(post_raw(client, "/lakeside/request", form_data(clinic, **{field: bad}))), (field, bad)
    assert refused(post_raw(client, "/lakeside/request", {**form_data(clinic), NUL: "1"}))
    assert (count(ConsultationRequest), count(Patient), count(OutboxMessage)) == (0, 0, 0)


def test_an_instant_booking_with_a_nul_books_nothing(client: FlaskClient, clinic: Clinic) -> None:
    clinic.instant_booking = True
    db.session.commit()
    data = form_data(clinic, full_name="Robin Test" + NUL)
    assert refused(post_raw(client, "/lakeside/request", data))
    assert (count(Appointment), count(ConsultationRequest), count(OutboxMessage)) == (0, 0, 0)
    # The same form without the NUL books: the refusal was the NUL.
    assert post_raw(client, "/lakeside/request", form_data(clinic)).status_code == 303
    assert count(Appointment) == 1


def test_a_multipart_form_with_a_nul_stores_nothing(client: FlaskClient, clinic: Clinic) -> None:
    response = client.post("/lakeside/request", data=form_data(clinic, medications="none" + NUL),
                           content_type="multipart/form-data")
    assert refused(response)
    assert count(ConsultationRequest) == 0


def test_readable_text_in_the_form_is_not_refused(client: FlaskClient, clinic: Clinic) -> None:
    data = form_data(clinic, full_name="Zoë Łukasiewicz-Núñez", medications="Sertraline \ufffd 50 mg 😀")
    assert post_raw(client, "/lakeside/request", data).status_code == 303
    assert db.session.scalar(select(ConsultationRequest.full_name)) == "Zoë Łukasiewicz-Núñez"


def test_a_preferred_time_at_the_ends_of_the_calendar_is_not_understood(client: FlaskClient, clinic: Clinic) -> None:
    for moment in CALENDAR_ENDS:
        response = post_raw(client, "/lakeside/request", form_data(clinic, preferred_times=[moment]))
        assert response.status_code == 422, moment
        assert "not understood" in response.get_data(as_text=True), moment
    assert count(ConsultationRequest) == 0


def test_a_huge_or_long_answer_is_refused_by_the_form(client: FlaskClient, clinic: Clinic) -> None:
    for field, value in [("full_name", "R" * 10_000), ("date_of_birth", HUGE), ("date_of_birth", "99999-01-01"),
                         ("phone", "9" * 5000), ("preferred_times", "9" * 5000)]:
        assert post_raw(client, "/lakeside/request", form_data(clinic, **{field: value})).status_code == 422, field
    assert post_raw(client, "/lakeside/request", form_data(clinic, medications="x" * 70_000)).status_code == 413
    assert count(ConsultationRequest) == 0


# --- The patient's appointment page -----------------------------------------------------


def test_a_manage_form_with_unreadable_text_changes_nothing(client: FlaskClient, manage_url: str) -> None:
    def state() -> tuple[Any, ...]:
        db.session.expire_all()
        appt = db.session.scalars(select(Appointment)).one()
        return appt.status, appt.starts_at, appt.driver_name, appt.driver_email, appt.patient_confirmed_at

    before = state()
    for action, fields in [
        ("driver", {"name": "Dana" + NUL, "phone": "(312) 555-0177"}),
        ("driver", {"name": "Dana Driver", "phone": "(312) 555-0177", "email": SURROGATE}),
        ("reschedule", {"times": NUL}),
        ("reschedule", {"times": ["2030-01-01T10:00:00-06:00", b"\xff"]}),
        ("confirm", {"csrf_token": NUL}),
        ("cancel", {"csrf_token": SURROGATE}),
    ]:
        assert refused(post_raw(client, f"{manage_url}/{action}", fields)), (action, fields)
        assert state() == before, (action, fields)
    for moment in CALENDAR_ENDS:
        assert post_raw(client, f"{manage_url}/reschedule", {"times": moment}).status_code == 422, moment
    assert state() == before
    assert (count(ChangeRequest), count(OutboxMessage)) == (0, 0)


# --- Numbers and dates past what can be stored ------------------------------------------


@pytest.fixture
def admin(app: Flask, clinic: Clinic, make_staff: Any) -> FlaskClient:
    """A client signed in as an admin of the clinic."""
    client = app.test_client()
    assert login(client, make_staff(clinic, role=Role.ADMIN).email).status_code == 303
    return client


def test_an_id_too_large_for_the_database_is_not_found(admin: FlaskClient, clinic: Clinic, make_request: Any) -> None:
    make_request(clinic)
    for number in (str(MAX_ID + 1), HUGE, "9" * 5000):
        for path in ("/dashboard/requests/{n}", "/dashboard/patients/{n}", "/dashboard/appointments/{n}",
                     "/dashboard/settings/services/{n}"):
            assert admin.get(path.format(n=number)).status_code == 404, path
        assert admin.post(f"/dashboard/appointments/{number}/cancel", data={}).status_code == 404
        assert admin.post("/staff/clinic", data={"clinic_id": number}).status_code == 404


def test_an_id_too_large_in_a_staff_form_is_not_found(
    admin: FlaskClient, clinic: Clinic, make_patient: Any
) -> None:
    patient = make_patient(clinic)
    start = local(clinic, days_ahead(clinic, 2), 10).isoformat()
    for number in (str(MAX_ID + 1), HUGE):
        booked = admin.post(f"/dashboard/patients/{patient.id}/book", data={"start": start, "service_id": number})
        assert booked.status_code == 404, number
        series = admin.post(f"/dashboard/patients/{patient.id}/series",
                            data={"service_id": number, "sessions": ["2030-01-07T10:00"]})
        assert series.status_code == 404, number
    assert count(Appointment) == 0


def test_a_page_number_past_any_page_shows_a_page(admin: FlaskClient) -> None:
    for page in (HUGE, str(2**63), "-" + HUGE, "1e309", "9" * 5000):
        for path in ("/dashboard/requests/", "/dashboard/messages", "/dashboard/audit"):
            assert admin.get(f"{path}?page={page}").status_code == 200, (path, page)


def test_a_date_at_the_ends_of_the_calendar_is_refused(
    admin: FlaskClient, clinic: Clinic, make_request: Any, make_appointment: Any
) -> None:
    item = make_request(clinic)
    appt = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, days_ahead(clinic, 2), 10))
    for day in ("9999-12-31", "0001-01-01", "0001-01-02"):
        for path in (f"/dashboard/day?date={day}", f"/dashboard/week?start={day}", f"/dashboard/requests/{item.id}?day={day}",
                     f"/dashboard/patients/{appt.patient_id}?day={day}", f"/dashboard/appointments/{appt.id}?day={day}",
                     f"/dashboard/export.csv?from={day}&to={day}"):
            assert admin.get(path).status_code == 400, path
        series = admin.get(f"/dashboard/patients/{appt.patient_id}/series?service_id={appt.service_id}&count=6"
                           f"&within_days=21&min_gap_days=1&first_day={day}")
        assert series.status_code == 422, day


def test_a_staff_time_at_the_ends_of_the_calendar_is_not_understood(
    admin: FlaskClient, clinic: Clinic, make_request: Any, make_appointment: Any
) -> None:
    item = make_request(clinic)
    appt = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, days_ahead(clinic, 2), 10))
    for moment in CALENDAR_ENDS:
        for path, data in [(f"/dashboard/requests/{item.id}/schedule", {"start": moment}),
                           (f"/dashboard/patients/{appt.patient_id}/book", {"start": moment, "service_id": appt.service_id}),
                           (f"/dashboard/appointments/{appt.id}/reschedule", {"start": moment})]:
            assert admin.post(path, data=data).status_code < 500, (path, moment)
    assert count(Appointment) == 1


def test_dates_well_inside_the_calendar_still_work(admin: FlaskClient, clinic: Clinic) -> None:
    assert admin.get("/dashboard/day?date=2999-12-30").status_code == 200
    assert admin.get("/dashboard/week?start=1900-01-08").status_code == 200
    assert admin.get("/dashboard/day?date=").status_code == 200
    assert admin.get(f"/dashboard/day?date={date.today().isoformat()}").status_code == 200


# --- The last line: a value the database refuses ----------------------------------------


def test_a_value_the_database_refuses_is_a_400_not_a_500(app: Flask) -> None:
    @app.get("/api/v1/refused-by-the-database")
    @app.get("/refused-by-the-database")
    def refused_by_the_database() -> str:
        raise DataError("SELECT 1", {}, ValueError("integer out of range"))

    client = app.test_client()
    assert refused(client.get("/refused-by-the-database"))
    api = client.get("/api/v1/refused-by-the-database")
    assert api.status_code == 400 and UNREADABLE in api.get_json()["error"]["message"]
