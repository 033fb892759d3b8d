"""Hypothesis: whatever bytes an address, a query argument or a form field holds, no answer is a 500.

NUL characters, lone surrogates (sent as %ED%A0%80) and other bytes that are not UTF-8,
huge and negative numbers, far dates and very long strings go into path segments, the
query arguments of public and staff pages, and every field of the public request form
(with and without instant booking), the patient's appointment forms and the staff
sign-in form. The tests use the `app` fixture, so `make test-postgres` runs them again
on PostgreSQL, which cannot store a NUL and whose integer columns stop at 2**31 - 1.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect

from booking.extensions import db
from booking.mail.links import issue_token
from booking.models import Appointment, Clinic, Role, utcnow
from tests.factories import STAFF_PASSWORD, chairs, service
from tests.support.clinic_time import days_ahead, local
from tests.support.request_form import form_data
from tests.support.sign_in import login
from tests.test_input_guard import FormValue, as_bytes, served, urlencoded

# Every example is one request. The fixtures are built once per test and what an example
# changes is put back, so function-scoped fixtures are fine here.
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def share_of_examples(share: float) -> settings:
    """FUZZ with `share` of the profile's examples, for a property split over several tests."""
    return settings(FUZZ, max_examples=max(10, round(settings.default.max_examples * share)))


# --- What a broken client or a prober sends ---------------------------------------------

UNREADABLE_BYTES = [b"\x00", b"a\x00b", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff", b"\xc0\x80", b"\xe2\x82"]
HUGE = [b"99999999999999999999", str(2**31).encode(), str(2**63).encode(), str(10**30).encode(),
        b"-" + str(10**30).encode(), b"9" * 5000, b"1e309", b"NaN", b"-0", b"0x7fffffff"]
ODD = [b"9999-12-31", b"0001-01-01", b"99999-01-01", b"2026-02-30", b"2026-13-01T25:61:00+99:00", b"24:00",
       b"0001-01-01T00:00:00+14:00", b"9999-12-31T23:59:59-12:00",
       b"x" * 10_000, "\u00fc".encode() * 3000, b"x" * 70_000, b"", b" ", b"%00", b"../../etc/passwd", b"{{7*7}}"]
# Any code point, lone surrogates included, encoded the way a broken client would.
any_text = st.text(st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=30).map(as_bytes)
hostile = st.one_of(
    st.sampled_from(UNREADABLE_BYTES),
    st.one_of(st.sampled_from(HUGE), st.integers(min_value=-(10**40), max_value=10**40).map(lambda n: str(n).encode())),
    st.sampled_from(ODD),
    st.binary(max_size=30),
    any_text,
)


def encoded(value: bytes) -> str:
    """A path segment or query value, every byte as it is (percent-encoded)."""
    return quote_from_bytes(value, safe="")


# --- The site under test ----------------------------------------------------------------


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """Rate limits far above the example counts, so examples reach the views, not a 429."""
    many = "100000 per minute"
    return {"MANAGE_RATE_LIMIT": many, "LOGIN_IP_RATE_LIMIT": many, "LOGIN_ACCOUNT_RATE_LIMIT": many,
            "REQUEST_FORM_RATE_LIMIT": many, "REQUEST_FORM_ATTEMPT_LIMIT": many, "API_RATE_LIMIT": many}


@dataclass
class Site:
    """Two clinics (one books instantly), an appointment with its secret link, and an admin."""

    app: Flask
    slug: str
    instant_slug: str
    token: str
    staff_email: str
    staff: FlaskClient
    request_form: dict[str, FormValue]
    instant_form: dict[str, FormValue]
    free_time: str
    ids: dict[str, int]
    restore: Callable[[], None]


@pytest.fixture
def site(app: Flask, make_clinic: Callable[..., Clinic], make_appointment: Any, make_staff: Any,
         make_request: Any) -> Iterator[Site]:
    """The site, with a staff client signed in; `restore` undoes what a patient's action changed."""
    clinic = make_clinic(slug="lakeside", patients_can_rebook=True)
    instant = make_clinic(slug="quickbook", instant_booking=True)
    appt = make_appointment(clinic, service(clinic, "infusion"), chairs(clinic)[0], local(clinic, days_ahead(clinic, 3), 10))
    token = issue_token(appt, utcnow())
    item = make_request(clinic)
    staff = make_staff(clinic, instant, role=Role.ADMIN)
    db.session.commit()
    staff_client = app.test_client()
    assert login(staff_client, staff.email).status_code == 303
    request_form, instant_form = form_data(clinic), form_data(instant)
    free_time = request_form["preferred_times"][0]
    columns = [attr.key for attr in inspect(Appointment).column_attrs]
    saved = {key: getattr(appt, key) for key in columns}
    ids = {"appointment": appt.id, "patient": appt.patient_id, "request": item.id, "service": appt.service_id}

    def restore() -> None:
        """Put the appointment back as it was (an example may have cancelled, moved or confirmed it)."""
        db.session.rollback()
        row = db.session.get(Appointment, ids["appointment"])
        assert row is not None
        for key, value in saved.items():
            setattr(row, key, value)
        db.session.commit()

    yield Site(app, clinic.slug, instant.slug, token, staff.email, staff_client, request_form, instant_form,
               free_time, ids, restore)


def send(client: FlaskClient, method: str, path: str, body: bytes | None = None) -> int:
    """One request, as its own transaction (tests share the app context that requests use)."""
    try:
        if body is None:
            return served(client, method, path).status_code
        return served(client, method, path, data=body, content_type="application/x-www-form-urlencoded").status_code
    finally:
        db.session.rollback()


# --- Paths ------------------------------------------------------------------------------

PATHS = [
    "/{x}", "/{x}/", "/{x}/request", "/{x}/request/received", "/{slug}/{x}", "/{slug}/request/{x}",
    "/manage/{x}", "/manage/{x}/driver", "/manage/{x}/reschedule", "/manage/{token}/{x}",
    "/api/v1/clinics/{x}/availability", "/api/v1/{x}", "/staff/{x}", "/static/{x}",
    "/dashboard/{x}", "/dashboard/requests/{x}", "/dashboard/patients/{x}", "/dashboard/appointments/{x}",
    "/dashboard/appointments/{x}/cancel", "/dashboard/settings/services/{x}", "/dashboard/messages/{x}/retry",
]


@FUZZ
@given(template=st.sampled_from(PATHS), segment=hostile, method=st.sampled_from(["GET", "POST"]), as_staff=st.booleans())
def test_no_path_gets_a_500(site: Site, template: str, segment: bytes, method: str, as_staff: bool) -> None:
    path = template.format(x=encoded(segment), slug=site.slug, token=site.token)
    client = site.staff if as_staff else site.app.test_client()
    status = send(client, method, path)
    site.restore()
    assert status < 500, (method, path)


# --- Query arguments --------------------------------------------------------------------

DAY = b"2030-01-07"
# Each page with the arguments it reads, and ordinary values for them: a hostile value then
# meets the other arguments' checks already passed (e.g. `days` with a known service).
PUBLIC_PAGES: dict[str, dict[str, bytes]] = {
    "/": {}, "/{slug}/": {}, "/{slug}/request": {}, "/{instant}/request": {}, "/{slug}/request/received": {},
    "/api/v1/clinics/{slug}/availability": {"service": b"consult", "from": DAY, "days": b"7"},
    "/api/v1/clinics/{instant}/availability": {"service": b"video", "days": b"2"},
    "/staff/login": {"next": b"/dashboard/"},
    "/manage/{token}": {}, "/manage/{token}/reschedule": {}, "/manage/{token}/cancel": {},
    "/manage/{token}/calendar.ics": {},
}
STAFF_PAGES: dict[str, dict[str, bytes]] = {
    "/dashboard/": {}, "/dashboard/day": {"date": DAY}, "/dashboard/week": {"start": DAY},
    "/dashboard/requests/": {"status": b"all", "flag": b"review", "page": b"2"},
    "/dashboard/requests/{request}": {"day": DAY},
    "/dashboard/messages": {"status": b"failed", "page": b"2"},
    "/dashboard/audit": {"action": b"appointment_cancelled", "page": b"2"},
    "/dashboard/patients/": {"q": b"Pat"},
    "/dashboard/patients/{patient}": {"service": b"{service}", "day": DAY, "override": b"1"},
    "/dashboard/patients/{patient}/series": {"service_id": b"{service}", "count": b"6", "within_days": b"21",
                                             "min_gap_days": b"1", "first_day": DAY, "weekdays": b"1",
                                             "earliest": b"09:00", "latest": b"17:00"},
    "/dashboard/appointments/{appointment}": {"day": DAY},
    "/dashboard/export.csv": {"from": DAY, "to": DAY},
}


def _get_with_hostile_arguments(
    site: Site, data: st.DataObject, pages: dict[str, dict[str, bytes]], client: FlaskClient
) -> None:
    """GET a page with some of its arguments (and perhaps others) holding hostile values."""
    page = data.draw(st.sampled_from(sorted(pages)), label="page")
    args: dict[Any, bytes] = {
        name: value.replace(b"{service}", str(site.ids["service"]).encode()) for name, value in pages[page].items()
    }
    names = sorted(args) or ["page", "next", "q"]
    for name in data.draw(st.sets(st.sampled_from(names), min_size=1), label="hostile arguments"):
        args[name] = data.draw(hostile, label=name)
    args.update(data.draw(st.dictionaries(hostile, hostile, max_size=2), label="other arguments"))
    path = page.format(slug=site.slug, instant=site.instant_slug, token=site.token, **site.ids)
    url = f"{path}?" + "&".join(f"{encoded(as_bytes(name))}={encoded(value)}" for name, value in args.items())
    status = send(client, "GET", url)
    site.restore()
    assert status < 500, url


@share_of_examples(1 / 2)
@given(data=st.data())
def test_no_query_argument_of_a_public_page_gets_a_500(site: Site, data: st.DataObject) -> None:
    _get_with_hostile_arguments(site, data, PUBLIC_PAGES, site.app.test_client())


@share_of_examples(1 / 2)
@given(data=st.data())
def test_no_query_argument_of_a_staff_page_gets_a_500(site: Site, data: st.DataObject) -> None:
    _get_with_hostile_arguments(site, data, STAFF_PAGES, site.staff)


# --- Form fields ------------------------------------------------------------------------

DRIVER = {"name": "Dana Driver", "phone": "(312) 555-0177", "email": "dana@example.com", "may_email": "y",
          "confirmed": "y"}


def _forms(site: Site) -> dict[str, tuple[str, dict[str, FormValue]]]:
    """Each form's address and a valid submission, field by field."""
    manage = f"/manage/{site.token}"
    return {
        "request": (f"/{site.slug}/request", site.request_form),
        "instant booking": (f"/{site.instant_slug}/request", site.instant_form),
        "sign-in": ("/staff/login", {"email": site.staff_email, "password": STAFF_PASSWORD, "next": "/dashboard/"}),
        "driver": (f"{manage}/driver", DRIVER),
        "reschedule": (f"{manage}/reschedule", {"times": [site.free_time]}),
        "confirm": (f"{manage}/confirm", {"csrf_token": "token"}),
        "cancel": (f"{manage}/cancel", {"csrf_token": "token"}),
    }


def _post_hostile_form(site: Site, data: st.DataObject, forms: list[str]) -> None:
    """POST one of `forms` with some fields left out and some holding hostile values."""
    form = data.draw(st.sampled_from(forms), label="form")
    path, valid = _forms(site)[form]
    names = [*valid, "csrf_token"]
    fields: dict[Any, FormValue] = dict(valid)
    for name in data.draw(st.sets(st.sampled_from(names), max_size=2), label="left out"):
        fields.pop(name, None)
    for name in data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=4), label="hostile fields"):
        fields[name] = data.draw(st.one_of(hostile, st.lists(hostile, min_size=2, max_size=4)), label=name)
    fields.update(data.draw(st.dictionaries(hostile, hostile, max_size=2), label="other fields"))
    status = send(site.app.test_client(), "POST", path, urlencoded(fields))
    site.restore()
    assert status < 500, (path, fields)


@FUZZ
@given(data=st.data())
def test_no_field_of_the_request_or_sign_in_forms_gets_a_500(site: Site, data: st.DataObject) -> None:
    _post_hostile_form(site, data, ["request", "instant booking", "sign-in"])


@FUZZ
@given(data=st.data())
def test_no_field_of_the_patients_appointment_forms_gets_a_500(site: Site, data: st.DataObject) -> None:
    _post_hostile_form(site, data, ["driver", "reschedule", "confirm", "cancel"])
