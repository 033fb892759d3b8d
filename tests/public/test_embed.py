"""The request form inside a clinic's website: framing only by its origins, and no cookie needed.

CSRF protection is on here (unlike most tests), and every client refuses cookies, as a
browser does for a third-party frame: the signed per-form token must do the session's job.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.extensions import db
from booking.models import ConsultationRequest, OutboxMessage, RequestStatus
from tests.support.embed import allow, attribute, cookies_set, form_action, hidden_fields
from tests.support.request_form import form_data
from tests.support.stored import count

SITE = "https://www.lakeside.example"
LOCAL = "http://localhost:5101"
UTM = {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring", "utm_term": "ketamine",
       "utm_content": "banner", "source": "website"}


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def clinic(make_clinic: Any) -> Any:
    clinic = make_clinic(name="Lakeside Infusions", slug="lakeside")
    allow(clinic, SITE, LOCAL)
    return clinic


@pytest.fixture
def frame(app: Flask) -> FlaskClient:
    """A browser that refuses every cookie in the frame."""
    return app.test_client(use_cookies=False)


def ancestors(response: Any) -> str:
    policy = response.headers["Content-Security-Policy"]
    [directive] = [d.strip() for d in policy.split(";") if d.strip().startswith("frame-ancestors")]
    return directive


def embedded(frame: FlaskClient, query: str = "") -> tuple[str, dict[str, str]]:
    """The embedded form page: where it posts, and its hidden fields."""
    response = frame.get(f"/lakeside/embed{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return form_action(page), hidden_fields(page)


def test_embed_pages_may_be_framed_by_exactly_the_clinics_origins(frame: FlaskClient, clinic: Any,
                                                                    make_clinic: Any) -> None:
    allow(make_clinic(slug="other"), "https://other.example")
    response = frame.get("/lakeside/embed")
    assert response.status_code == 200
    assert ancestors(response) == f"frame-ancestors {SITE} {LOCAL}"
    assert "X-Frame-Options" not in response.headers
    # A refused form and the received page too, and an error page on an embed route.
    refused = frame.post("/lakeside/embed", data={"full_name": "Robin"})
    assert refused.status_code == 400 and ancestors(refused) == f"frame-ancestors {SITE} {LOCAL}"
    received = frame.get("/lakeside/embed/received")
    assert ancestors(received) == f"frame-ancestors {SITE} {LOCAL}" and "X-Frame-Options" not in received.headers
    # The rest of the policy is unchanged.
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_every_other_page_keeps_frame_ancestors_none(frame: FlaskClient, clinic: Any) -> None:
    for path in ["/", "/lakeside/", "/lakeside/request", "/lakeside/request/received", "/staff/login",
                 "/api/clinics/lakeside/availability", "/no-such-page"]:
        response = frame.get(path)
        assert ancestors(response) == "frame-ancestors 'none'", path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_a_clinic_without_origins_cannot_be_framed(frame: FlaskClient, make_clinic: Any) -> None:
    make_clinic(slug="closed")
    response = frame.get("/closed/embed")
    assert response.status_code == 200
    assert ancestors(response) == "frame-ancestors 'none'"
    assert ancestors(frame.get("/no-such-clinic/embed")) == "frame-ancestors 'none'"


def test_the_form_is_taken_in_without_any_cookie(frame: FlaskClient, clinic: Any) -> None:
    query = "?" + "&".join(f"{k}={v}" for k, v in UTM.items()) + f"&parent={LOCAL}"
    action, hidden = embedded(frame, query)
    assert "embed_token" in hidden and "csrf_token" not in hidden
    assert urlsplit(action).path == "/lakeside/embed"
    sent = frame.post(action, data={**form_data(clinic), **hidden})
    assert sent.status_code == 303, sent.get_data(as_text=True)[:500]
    assert cookies_set(sent) == []
    target = urlsplit(sent.headers["Location"])
    assert target.path == "/lakeside/embed/received"
    assert parse_qs(target.query)["parent"] == [LOCAL]
    page = frame.get(sent.headers["Location"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Thank you, Robin." in text
    assert attribute(text, "data-embed-events") == "request_submitted"
    assert attribute(text, "data-parent-origin") == LOCAL
    db.session.rollback()
    stored = db.session.scalars(select(ConsultationRequest)).one()
    assert {name: getattr(stored, name) for name in UTM} == UTM
    assert stored.status is RequestStatus.NEW


def test_the_same_embedded_form_sent_twice_is_one_request(frame: FlaskClient, clinic: Any) -> None:
    action, hidden = embedded(frame)
    data = {**form_data(clinic), **hidden}
    answers = [frame.post(action, data=data) for _ in range(2)]
    assert [a.status_code for a in answers] == [303, 303]
    assert answers[0].headers["Location"].split("t=")[0] == answers[1].headers["Location"].split("t=")[0]
    assert count(ConsultationRequest) == 1
    assert count(OutboxMessage) == 1
    assert "Thank you, Robin." in frame.get(answers[1].headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("spoil", ["forged", "other_form", "missing", "expired", "other_clinic"])
def test_a_bad_token_gives_the_form_back_filled_in(app: Flask, frame: FlaskClient, clinic: Any,
                                                  make_clinic: Any, spoil: str) -> None:
    action, hidden = embedded(frame)
    data = {**form_data(clinic, full_name="Robin Keepsake"), **hidden}
    if spoil == "forged":
        data["embed_token"] = hidden["embed_token"][:-2] + ("AA" if not hidden["embed_token"].endswith("AA") else "BB")
    elif spoil == "other_form":
        data["form_key"] = embedded(frame)[1]["form_key"]
    elif spoil == "missing":
        del data["embed_token"]
    elif spoil == "expired":
        app.config["EMBED_FORM_TOKEN_SECONDS"] = -1  # every token is older than that
    elif spoil == "other_clinic":
        make_clinic(slug="elsewhere")
        data["embed_token"] = hidden_fields(frame.get("/elsewhere/embed").get_data(as_text=True))["embed_token"]
    answer = frame.post(action, data=data)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Nothing was saved: please check your answers" in text
    assert 'value="Robin Keepsake"' in text and 'value="robin@example.com"' in text
    assert count(ConsultationRequest) == 0
    if spoil == "expired":
        app.config["EMBED_FORM_TOKEN_SECONDS"] = 7200
    # The page comes back with a fresh token for the same form: sending it again works, once.
    again = frame.post(action, data={**data, **hidden_fields(text)})
    assert again.status_code == 303
    assert count(ConsultationRequest) == 1


def test_the_received_page_shows_nothing_without_a_valid_token(frame: FlaskClient, clinic: Any,
                                                               make_clinic: Any) -> None:
    action, hidden = embedded(frame)
    location = frame.post(action, data={**form_data(clinic), **hidden}).headers["Location"]
    token = parse_qs(urlsplit(location).query)["t"][0]
    make_clinic(slug="elsewhere")
    for path in [f"/elsewhere/embed/received?t={token}", f"/lakeside/embed/received?t={token[:-3]}xyz",
                 "/lakeside/embed/received"]:
        text = frame.get(path).get_data(as_text=True)
        assert "Robin" not in text and "Thank you." in text, path
        assert attribute(text, "data-embed-events") == "", path


def test_a_parent_not_on_the_list_gets_no_events(frame: FlaskClient, clinic: Any) -> None:
    for parent, expected in [(SITE, SITE), (SITE + "/", SITE), ("https://evil.example", ""), ("javascript:x", "")]:
        text = frame.get(f"/lakeside/embed?parent={parent}").get_data(as_text=True)
        assert attribute(text, "data-parent-origin") == expected, parent
        # The form's address carries it on to the POST and the received page.
        carried = parse_qs(urlsplit(form_action(text)).query).get("parent")
        assert carried == ([expected] if expected else None), parent


def test_instant_booking_in_the_frame_says_booked(frame: FlaskClient, clinic: Any) -> None:
    clinic.instant_booking = True
    db.session.commit()
    action, hidden = embedded(frame, f"?parent={SITE}")
    sent = frame.post(action, data={**form_data(clinic), **hidden})
    text = frame.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Your consultation is booked" in text
    assert attribute(text, "data-embed-events") == "request_submitted booked"


def test_the_frame_is_slim_and_still_names_the_clinic(frame: FlaskClient, clinic: Any) -> None:
    text = frame.get("/lakeside/embed?lang=es").get_data(as_text=True)
    assert "Lakeside Infusions" in text
    assert 'class="site-header"' not in text
    assert 'href="/lakeside/"' not in text  # no link away from the frame
    assert 'lang="es"' in text and "Pedir una consulta" in text
    assert 'hreflang="en"' in text  # the language switcher
    assert "911" in text


def test_the_public_form_takes_the_campaign_from_its_address(app: Flask, clinic: Any) -> None:
    client = app.test_client()
    page = client.get("/lakeside/request?utm_source=flyer&source=" + "x" * 150).get_data(as_text=True)
    hidden = hidden_fields(page)
    action = form_action(page)
    assert "utm_source=flyer" in action
    sent = client.post(action, data={**form_data(clinic), **hidden})
    assert sent.status_code == 303
    assert count(ConsultationRequest, utm_source="flyer", source="x" * 100) == 1
