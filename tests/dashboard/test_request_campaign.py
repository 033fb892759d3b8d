"""Where a request came from (utm_*, source) is on the staff's request page, and only if it was said."""
from __future__ import annotations

import html
from typing import Any

import pytest
from sqlalchemy.exc import DataError, IntegrityError

from booking.extensions import db
from booking.models import Clinic, Role


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    return make_clinic()


def test_the_request_page_shows_where_the_patient_came_from(clinic: Clinic, make_request: Any,
                                                            signed_in: Any) -> None:
    item = make_request(clinic)
    item.source, item.utm_source, item.utm_campaign = "website", "newsletter", "<spring & summer>"
    db.session.commit()
    page = signed_in(clinic, role=Role.FRONT_DESK).get(f"/dashboard/requests/{item.id}").get_data(as_text=True)
    assert "<h2>Came from</h2>" in page
    for name, value in [("Source", "website"), ("utm_source", "newsletter"), ("utm_campaign", "<spring & summer>")]:
        assert f"<dt>{name}</dt><dd>{html.escape(value, quote=False)}</dd>" in page, name
    assert "<dt>utm_medium</dt>" not in page


def test_a_request_without_a_campaign_shows_no_section(clinic: Clinic, make_request: Any, signed_in: Any) -> None:
    item = make_request(clinic)
    page = signed_in(clinic, role=Role.FRONT_DESK).get(f"/dashboard/requests/{item.id}").get_data(as_text=True)
    assert "Came from" not in page


@pytest.mark.parametrize("value", ["", "x" * 101])
def test_the_database_refuses_an_empty_or_oversized_campaign_value(clinic: Clinic, make_request: Any,
                                                                   value: str) -> None:
    item = make_request(clinic)
    item.utm_term = value
    # The CHECK (SQLite); PostgreSQL's VARCHAR(100) refuses a longer value even before it.
    with pytest.raises((IntegrityError, DataError)):
        db.session.commit()
    db.session.rollback()
