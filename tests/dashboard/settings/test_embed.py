"""Settings, "Embed on your website": the websites allowed to frame the form, and the snippet."""
from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from booking.models import Clinic, EmbedOrigin, Role
from booking.queries.embedding import embed_origins
from tests.support.embed import allow
from tests.support.stored import count, events


def test_a_website_is_added_written_one_way_and_framing_follows(admin: FlaskClient, clinic: Clinic,
                                                                client: FlaskClient) -> None:
    assert "frame-ancestors 'none'" in client.get(f"/{clinic.slug}/embed").headers["Content-Security-Policy"]
    response = admin.post("/dashboard/settings/embed/add", data={"origin": "  HTTPS://WWW.Lakeside.example:443/ "})
    assert response.status_code == 303
    assert count(EmbedOrigin, clinic_id=clinic.id, origin="https://www.lakeside.example") == 1
    [event] = events("settings_embed_origin_added")
    assert event.details["origin"] == "https://www.lakeside.example"
    policy = client.get(f"/{clinic.slug}/embed").headers["Content-Security-Policy"]
    assert "frame-ancestors https://www.lakeside.example;" in policy
    page = admin.get("/dashboard/settings/embed").get_data(as_text=True)
    assert "https://www.lakeside.example may now show your form." in page
    # The snippet, ready to copy: the script tag, and the plain frame.
    assert (f'&lt;script src=&#34;http://127.0.0.1:5000/static/embed.js&#34; data-clinic=&#34;{clinic.slug}&#34;'
            in page)
    assert f"&lt;iframe src=&#34;http://127.0.0.1:5000/{clinic.slug}/embed?source=website&#34;" in page


@pytest.mark.parametrize("typed,message", [
    ("http://www.lakeside.example", "A website must use https://."),
    ("www.lakeside.example", "Start the address with https://"),
    ("https://www.lakeside.example/book", "without a page path"),
    ("https://*.lakeside.example", "no * wildcards"),
    ("", "Enter the address of your website"),
])
def test_a_bad_address_is_refused_with_the_reason(admin: FlaskClient, clinic: Clinic, typed: str,
                                                  message: str) -> None:
    response = admin.post("/dashboard/settings/embed/add", data={"origin": typed})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text
    assert f'value="{typed}"' in text or not typed  # what was typed is kept
    assert count(EmbedOrigin) == 0


def test_the_same_website_twice_is_refused(admin: FlaskClient, clinic: Clinic) -> None:
    allow(clinic, "https://www.lakeside.example")
    response = admin.post("/dashboard/settings/embed/add", data={"origin": "https://www.lakeside.example/"})
    assert response.status_code == 422
    assert "already on the list" in response.get_data(as_text=True)
    assert count(EmbedOrigin) == 1


def test_removing_a_website_stops_its_framing(admin: FlaskClient, clinic: Clinic, client: FlaskClient,
                                              make_clinic: Any) -> None:
    allow(clinic, "https://www.lakeside.example", "http://localhost:5101")
    other = make_clinic(slug="other")
    allow(other, "https://other.example")
    [row] = [o for o in embed_origins(clinic) if o.origin == "https://www.lakeside.example"]
    [foreign] = embed_origins(other)
    assert admin.post(f"/dashboard/settings/embed/{foreign.id}/delete").status_code == 404  # another clinic's
    assert admin.post(f"/dashboard/settings/embed/{row.id}/delete").status_code == 303
    policy = client.get(f"/{clinic.slug}/embed").headers["Content-Security-Policy"]
    assert "frame-ancestors http://localhost:5101;" in policy
    [event] = events("settings_embed_origin_removed")
    assert event.details == {"embed_origin_id": row.id, "origin": "https://www.lakeside.example"}
    assert count(EmbedOrigin, clinic_id=other.id) == 1


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINICIAN])
def test_only_admins_manage_embedding(signed_in: Any, clinic: Clinic, role: Role) -> None:
    staff = signed_in(clinic, role=role)
    assert staff.get("/dashboard/settings/embed").status_code == 403
    assert staff.post("/dashboard/settings/embed/add", data={"origin": "https://x.example"}).status_code == 403
    assert count(EmbedOrigin) == 0
