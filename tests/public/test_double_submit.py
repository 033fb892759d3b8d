"""A double submit of the request form: one request, one email, the same answer every time.

The form page carries a one-time key; the second POST of the same form is a replay
of the first, not a second request. The concurrent version runs on SQLite and,
with TEST_DATABASE_URL, on PostgreSQL.
"""
from __future__ import annotations

import html
import re
import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from booking.extensions import db
from booking.models import (
    Appointment,
    Clinic,
    ConsultationRequest,
    MessageKind,
    OutboxMessage,
    Patient,
    RequestStatus,
)
from tests.support.request_form import form_data

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
THREADS = 10


def _count(model: type, **filters: Any) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**filters))


def hidden_fields(page: str) -> dict[str, str]:
    """Every hidden input of the page, as a browser would send it back."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        attrs = {name: html.unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag)}
        if attrs.get("type") == "hidden" and "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def filled_in(client: FlaskClient, clinic: Clinic, **overrides: Any) -> dict[str, Any]:
    """The form as a browser sends it: the page's hidden fields plus valid answers."""
    page = client.get(f"/{clinic.slug}/request").get_data(as_text=True)
    return {**form_data(clinic, **overrides), **hidden_fields(page)}


def form_key_of(page: str) -> str | None:
    return hidden_fields(page).get("form_key")


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic()


def test_each_form_page_carries_its_own_key(client: FlaskClient, clinic: Clinic) -> None:
    keys = [form_key_of(client.get(f"/{clinic.slug}/request").get_data(as_text=True)) for _ in range(2)]
    assert all(key is not None and KEY_PATTERN.match(key) for key in keys), keys
    assert keys[0] != keys[1]


def test_the_same_form_posted_twice_is_one_request(client: FlaskClient, clinic: Clinic) -> None:
    data = filled_in(client, clinic)
    answers = [client.post(f"/{clinic.slug}/request", data=data, follow_redirects=True) for _ in range(2)]

    assert _count(ConsultationRequest) == 1
    assert _count(ConsultationRequest, clinic_id=clinic.id, status=RequestStatus.NEW) == 1  # the queue
    assert _count(OutboxMessage) == 1
    assert _count(OutboxMessage, kind=MessageKind.REQUEST_RECEIVED) == 1
    assert _count(Patient) == 0  # nothing is booked, so nobody is a patient yet
    # The repeat is answered like the original: the same received page, not an error.
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.request.path for a in answers] == [f"/{clinic.slug}/request/received"] * 2
    pages = [a.get_data(as_text=True) for a in answers]
    assert "Request received" in pages[0] and "Thank you, Robin." in pages[0]
    assert pages[0] == pages[1]


def test_a_repeat_after_the_first_one_was_handled_is_still_a_replay(app: Flask, clinic: Clinic) -> None:
    # The second POST comes from another client (a retry by a proxy, another tab
    # without the cookie): the key, not the session, says it is the same form.
    first, second = app.test_client(), app.test_client()
    data = filled_in(first, clinic)
    assert first.post(f"/{clinic.slug}/request", data=data).status_code == 303
    answer = second.post(f"/{clinic.slug}/request", data=data, follow_redirects=True)
    assert answer.status_code == 200
    assert "Thank you, Robin." in answer.get_data(as_text=True)
    assert _count(ConsultationRequest) == 1
    assert _count(OutboxMessage) == 1


def test_a_new_form_page_makes_a_new_request(client: FlaskClient, clinic: Clinic) -> None:
    for _ in range(2):
        assert client.post(f"/{clinic.slug}/request", data=filled_in(client, clinic)).status_code == 303
    assert _count(ConsultationRequest) == 2
    assert _count(OutboxMessage) == 2


def test_the_key_is_scoped_to_the_clinic(client: FlaskClient, make_clinic: Any) -> None:
    first, second = make_clinic(), make_clinic()
    key = form_key_of(client.get(f"/{first.slug}/request").get_data(as_text=True))
    assert key is not None
    for clinic in (first, second):
        response = client.post(f"/{clinic.slug}/request", data=form_data(clinic, form_key=key))
        assert response.status_code == 303
    assert _count(ConsultationRequest, clinic_id=first.id) == 1
    assert _count(ConsultationRequest, clinic_id=second.id) == 1


def test_a_form_with_errors_keeps_its_key(client: FlaskClient, clinic: Clinic) -> None:
    data = filled_in(client, clinic)
    response = client.post(f"/{clinic.slug}/request", data={**data, "full_name": ""})
    assert response.status_code == 422
    assert form_key_of(response.get_data(as_text=True)) == data["form_key"]
    assert _count(ConsultationRequest) == 0
    # Corrected and sent twice: still one request.
    for _ in range(2):
        assert client.post(f"/{clinic.slug}/request", data=data).status_code == 303
    assert _count(ConsultationRequest) == 1


def test_a_post_without_a_key_still_makes_one_request(client: FlaskClient, clinic: Clinic) -> None:
    # A page cached from before keys existed, or a client that drops hidden fields.
    data = form_data(clinic)
    assert "form_key" not in data
    assert client.post(f"/{clinic.slug}/request", data=data).status_code == 303
    stored = db.session.scalars(select(ConsultationRequest)).one()
    assert stored.form_key is None
    assert _count(OutboxMessage) == 1


@pytest.mark.parametrize("bad", ["short", "x" * 33, "a" * 31 + "!", "a" * 31 + "\n", "<script>" * 4])
def test_a_malformed_key_is_refused_and_replaced(client: FlaskClient, clinic: Clinic, bad: str) -> None:
    response = client.post(f"/{clinic.slug}/request", data=form_data(clinic, form_key=bad))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page
    assert 'value="Robin Testpatient"' in page  # the answers are kept
    fresh = form_key_of(page)
    assert fresh is not None and fresh != bad and KEY_PATTERN.match(fresh)
    assert _count(ConsultationRequest) == 0
    assert _count(OutboxMessage) == 0


def test_an_unavailable_time_keeps_the_key_and_the_retry_is_one_request(
    client: FlaskClient, clinic: Clinic
) -> None:
    data = filled_in(client, clinic, preferred_times=["2020-01-01T09:00:00+00:00"])
    response = client.post(f"/{clinic.slug}/request", data=data)
    assert response.status_code == 409
    assert form_key_of(response.get_data(as_text=True)) == data["form_key"]
    retry = {**data, "preferred_times": form_data(clinic)["preferred_times"]}
    for _ in range(2):
        assert client.post(f"/{clinic.slug}/request", data=retry).status_code == 303
    assert _count(ConsultationRequest) == 1


class TestInstantBooking:
    def test_a_double_submit_books_once(self, client: FlaskClient, clinic: Clinic) -> None:
        clinic.instant_booking = True
        db.session.commit()
        data = filled_in(client, clinic)
        answers = [client.post(f"/{clinic.slug}/request", data=data, follow_redirects=True) for _ in range(2)]
        assert [a.status_code for a in answers] == [200, 200]
        pages = [a.get_data(as_text=True) for a in answers]
        assert "Your consultation is booked" in pages[0]
        assert pages[0] == pages[1]
        assert _count(ConsultationRequest) == 1
        assert _count(ConsultationRequest, status=RequestStatus.SCHEDULED) == 1
        assert _count(Appointment) == 1
        assert _count(Patient) == 1
        assert _count(OutboxMessage, kind=MessageKind.APPOINTMENT_BOOKED) == 1

    def test_a_twin_that_books_between_the_key_check_and_the_time_check_is_replayed(
        self, app: Flask, clinic: Clinic
    ) -> None:
        # The worst moment for the second POST: it has just looked for the key (not
        # there yet) when the first one books the time and commits. The database hook
        # only times the twin; the code under test runs as in production.
        clinic.instant_booking = True
        db.session.commit()
        first, second = app.test_client(), app.test_client()
        data = filled_in(first, clinic)
        twin: list[int] = []

        def run_twin_after_key_lookup(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if twin or not statement.lstrip().upper().startswith("SELECT") or "form_key =" not in statement:
                return
            twin.append(0)
            thread = threading.Thread(
                target=lambda: twin.append(first.post(f"/{clinic.slug}/request", data=data).status_code)
            )
            thread.start()
            thread.join(timeout=60)

        event.listen(db.engine, "after_cursor_execute", run_twin_after_key_lookup)
        try:
            answer = second.post(f"/{clinic.slug}/request", data=data, follow_redirects=True)
        finally:
            event.remove(db.engine, "after_cursor_execute", run_twin_after_key_lookup)
        assert twin == [0, 303], "the twin did not run at the chosen moment"
        assert answer.status_code == 200
        assert "Your consultation is booked" in answer.get_data(as_text=True)
        assert _count(ConsultationRequest) == 1
        assert _count(Appointment) == 1


class TestWithCsrf:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_same_session_and_token_twice_is_one_request(self, client: FlaskClient, clinic: Clinic) -> None:
        data = filled_in(client, clinic)
        assert data["csrf_token"]
        answers = [client.post(f"/{clinic.slug}/request", data=data) for _ in range(2)]
        assert [a.status_code for a in answers] == [303, 303]
        assert _count(ConsultationRequest) == 1
        assert _count(OutboxMessage) == 1

    def test_an_expired_token_keeps_the_key(self, client: FlaskClient, clinic: Clinic) -> None:
        data = filled_in(client, clinic)
        response = client.post(f"/{clinic.slug}/request", data={**data, "csrf_token": "expired"})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert form_key_of(page) == data["form_key"]
        resent = {**data, **hidden_fields(page)}
        for _ in range(2):
            assert client.post(f"/{clinic.slug}/request", data=resent).status_code == 303
        assert _count(ConsultationRequest) == 1


def race(app: Flask, cookie: str, path: str, data: dict[str, Any]) -> list[tuple[int, str, str]]:
    """POST the same form from THREADS threads at once; (status, final path, page) for each."""
    barrier = threading.Barrier(THREADS)
    answers: list[tuple[int, str, str]] = []
    lock = threading.Lock()

    def worker() -> None:
        client = app.test_client()
        client.set_cookie("session", cookie)
        barrier.wait(timeout=30)
        response = client.post(path, data=data, follow_redirects=True)
        with lock:
            answers.append((response.status_code, response.request.path, response.get_data(as_text=True)))

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == THREADS, "a worker did not finish"
    return answers


class TestConcurrentSubmits:
    """Ten POSTs of one form (same session, CSRF token and key) at the same moment."""

    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def _submit_at_once(self, app: Flask, clinic: Clinic) -> list[tuple[int, str, str]]:
        client = app.test_client()
        data = filled_in(client, clinic)
        cookie = client.get_cookie("session")
        assert cookie is not None and data["csrf_token"]
        return race(app, cookie.value, f"/{clinic.slug}/request", data)

    def test_ten_at_once_are_one_request_and_one_email(self, app: Flask, clinic: Clinic) -> None:
        answers = self._submit_at_once(app, clinic)
        assert _count(ConsultationRequest) == 1
        assert _count(OutboxMessage, kind=MessageKind.REQUEST_RECEIVED) == 1
        assert _count(OutboxMessage) == 1
        assert [(status, path) for status, path, _ in answers] == [(200, f"/{clinic.slug}/request/received")] * THREADS
        pages = {page for _, _, page in answers}
        assert len(pages) == 1
        assert "Thank you, Robin." in pages.pop()

    def test_ten_at_once_with_instant_booking_book_once(self, app: Flask, clinic: Clinic) -> None:
        clinic.instant_booking = True
        db.session.commit()
        answers = self._submit_at_once(app, clinic)
        assert _count(ConsultationRequest) == 1
        assert _count(Appointment) == 1
        assert _count(OutboxMessage, kind=MessageKind.APPOINTMENT_BOOKED) == 1
        assert [status for status, _, _ in answers] == [200] * THREADS
        pages = {page for _, _, page in answers}
        assert len(pages) == 1
        assert "Your consultation is booked" in pages.pop()
