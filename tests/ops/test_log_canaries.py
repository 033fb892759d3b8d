"""Nothing of a patient reaches a log line: canaries in every field, through the web app and the worker."""
from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from booking.extensions import db
from booking.logs import JsonFormatter
from booking.mail.delivery import deliver_due
from booking.models import Clinic, ConsultationRequest, OutboxMessage, Role
from tests.support.request_form import form_data
from tests.support.sign_in import login
from tests.support.smtp import SmtpServer, free_port

CANARIES = {
    "full_name": "Zorblatt Quixwellington",
    "email": "zorblatt.canary@example.com",
    "phone": "(312) 555-0199",
    "date_of_birth": "1971-07-29",
    "concern_details": "CANARYDETAIL4471",
    "medications": "CANARYMEDS9923",
}
# How each may show up once stored or formatted.
NEEDLES = ["zorblatt", "quixwellington", "555-0199", "5550199", "1971-07-29", "07/29/1971",
           "canarydetail4471", "canarymeds9923"]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def config_overrides(smtp_port: int) -> dict[str, Any]:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 1.0}


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Every log record of every logger, formatted as production writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.DEBUG)
    # The test's own SMTP server (aiosmtpd, logger "mail.log") is the outside world, not us.
    handler.addFilter(lambda record: not record.name.startswith("mail.log"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_no_patient_detail_or_token_in_web_or_worker_logs(
    app: Flask, make_clinic: Any, make_staff: Any, smtp_port: int, captured: io.StringIO
) -> None:
    def boom(token: str) -> str:
        raise ValueError(f"duplicate key (email)=({CANARIES['email']}) for {token}")

    app.add_url_rule("/canary-boom/<token>", "canary_boom", boom)
    clinic: Clinic = make_clinic(instant_booking=False)
    staff = make_staff(clinic, role=Role.CLINICIAN)
    patient = app.test_client()
    data = form_data(clinic, concern="other", **CANARIES)
    assert patient.post(f"/{clinic.slug}/request", data=data).status_code == 303

    desk = app.test_client()
    assert login(desk, staff.email).status_code == 303
    item = db.session.scalars(select(ConsultationRequest)).one()
    page = desk.get(f"/dashboard/requests/{item.id}").get_data(as_text=True)
    assert "Zorblatt" in page
    desk.get("/dashboard/patients/?q=Zorblatt")
    desk.get("/dashboard/patients/?q=zorblatt.canary@example.com")
    start = re.search(r'name="start" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert desk.post(f"/dashboard/requests/{item.id}/schedule", data={"start": start, "key": key}).status_code == 303

    # The worker: the first try fails (no server), the next succeeds.
    first = deliver_due()
    assert first.retried == 1  # a refused connection stops the batch
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.attempts > 0)
                       .values(next_attempt_at=OutboxMessage.created_at))
    db.session.commit()
    server = SmtpServer(smtp_port)
    server.start()
    try:
        assert deliver_due().sent == 3  # the acknowledgment, the confirmation, the staff new-browser notice
    finally:
        server.stop()
    tokens = [m for msg in server.messages for m in re.findall(r"/manage/([A-Za-z0-9_-]{20,})", msg.as_string())]
    assert tokens
    token = tokens[0]
    manage = app.test_client()
    assert manage.get(f"/manage/{token}").status_code == 200
    manage.get(f"/manage/{token}/calendar.ics")
    manage.get(f"/manage/{token}x")  # a bad link too

    # An unexpected error on a page whose address holds the secret, its message repeating a detail.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert app.test_client().get(f"/canary-boom/{token}").status_code == 500

    text = captured.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    events = {line.get("event") for line in lines}
    assert {"request", "outbox"} <= events
    assert any(line.get("endpoint") == "manage.appointment" and line.get("status") == 200 for line in lines)
    assert any(line.get("outcome") == "sent" for line in lines)
    assert any(line.get("outcome") == "retry" for line in lines)
    assert any(line.get("exc_type") == "ValueError" and line.get("endpoint") == "canary_boom" for line in lines)
    lowered = text.lower()
    for needle in [*NEEDLES, CANARIES["email"], token[:16].lower(), "zorblatt.canary"]:
        assert needle.lower() not in lowered, f"{needle!r} is in the logs"
    # Every request line names the route, never the path.
    assert all("path" not in line and "url" not in line for line in lines)
