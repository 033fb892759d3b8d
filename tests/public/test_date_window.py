"""The form's days of free times without JavaScript: `?from=`, and the earlier/later buttons that keep the form."""
from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Clinic, ConsultationRequest
from tests.support.clinic_time import days_ahead
from tests.support.request_form import form_data


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic()


def listed_days(page: str) -> set[str]:
    return {value[:10] for value in re.findall(r'<input type="checkbox" name="preferred_times" value="([^"]+)"', page)}


def buttons(page: str) -> dict[str, str]:
    """{accessible name: date} of the page's earlier/later buttons."""
    return {label: value for value, label in re.findall(
        r'<button type="submit" class="window-button[^"]*" name="show_from" value="([^"]+)" formnovalidate '
        r'aria-label="([^"]+)"', page)}


def test_the_first_page_shows_a_week_from_today(client: FlaskClient, clinic: Clinic) -> None:
    page = client.get(f"/{clinic.slug}/request").get_data(as_text=True)
    week = {days_ahead(clinic, n).isoformat() for n in range(7)}
    assert listed_days(page) and listed_days(page) <= week
    assert buttons(page) == {"Later dates": days_ahead(clinic, 7).isoformat()}


def test_from_in_the_address_names_the_week_holding_it(client: FlaskClient, clinic: Clinic) -> None:
    page = client.get(f"/{clinic.slug}/request?from={days_ahead(clinic, 10)}").get_data(as_text=True)
    assert listed_days(page) <= {days_ahead(clinic, n).isoformat() for n in range(7, 14)}
    assert buttons(page) == {"Earlier dates": days_ahead(clinic, 0).isoformat(),
                             "Later dates": days_ahead(clinic, 14).isoformat()}
    for nonsense in ("yesterday", "2026-02-30", "1999-01-01"):
        again = client.get(f"/{clinic.slug}/request", query_string={"from": nonsense})
        assert again.status_code == 200
        assert listed_days(again.get_data(as_text=True)) <= {days_ahead(clinic, n).isoformat() for n in range(7)}


def test_no_later_week_beyond_the_horizon(client: FlaskClient, clinic: Clinic) -> None:
    clinic.horizon_days = 9
    db.session.commit()
    page = client.get(f"/{clinic.slug}/request?from={days_ahead(clinic, 300)}").get_data(as_text=True)
    assert buttons(page) == {"Earlier dates": days_ahead(clinic, 0).isoformat()}


class TestTwoSends:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"REQUEST_FORM_RATE_LIMIT": "2 per minute"}

    def test_later_dates_keeps_the_form_stores_nothing_and_does_not_count(
        self, client: FlaskClient, clinic: Clinic
    ) -> None:
        data = form_data(clinic, full_name="Robin Window", medications="lithium 300mg", email="")
        chosen = data["preferred_times"]
        for _ in range(3):
            response = client.post(f"/{clinic.slug}/request", data={**data, "show_from": days_ahead(clinic, 7).isoformat()})
            assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert listed_days(page) <= {days_ahead(clinic, n).isoformat() for n in range(7, 14)}
        assert 'value="Robin Window"' in page and "lithium 300mg" in page
        assert 'class="error-summary"' not in page  # the empty email is for when it is sent
        for value in chosen:  # tomorrow's times, kept while another week is shown
            assert f'<input type="hidden" name="preferred_times" value="{value}">' in page
        assert "Also chosen, on other dates:" in page
        assert f'name="window" value="{days_ahead(clinic, 7)}"' in page
        assert db.session.scalar(select(func.count()).select_from(ConsultationRequest)) == 0
        # Sent from that week, a refused form stays on it.
        refused = client.post(f"/{clinic.slug}/request", data={**data, "window": days_ahead(clinic, 7).isoformat()})
        assert refused.status_code == 422
        assert listed_days(refused.get_data(as_text=True)) <= {days_ahead(clinic, n).isoformat() for n in range(7, 14)}
        # Both sends are still there.
        for n in range(2):
            sent = client.post(f"/{clinic.slug}/request", data={**data, "email": f"r{n}@example.com"})
            assert sent.status_code == 303
        assert db.session.scalar(select(func.count()).select_from(ConsultationRequest)) == 2


def test_a_week_without_times_says_so_and_points_on(client: FlaskClient, clinic: Clinic) -> None:
    for hours in list(clinic.opening_hours):
        db.session.delete(hours)
    db.session.commit()
    page = client.get(f"/{clinic.slug}/request").get_data(as_text=True)
    assert listed_days(page) == set()
    assert re.search(r"There are no free times from \w+, \w+ \d+ to \w+, \w+ \d+\. Try later dates", page)
    assert "Later dates" in buttons(page)
