"""Check-ins on the staff side: the item 9 flag end to end, acknowledgement, and who sees what."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from booking.domain.checkins import CheckinState
from booking.extensions import db
from booking.models import Appointment, AuditAction, AuditEvent, CheckIn, Clinic, Instrument, Role
from booking.queries.checkins import checkin_states
from tests.factories import service
from tests.support.checkin import CANARY_MEDS, ask, full_checkin, infusion_tomorrow, later_visit
from tests.support.manage import link_for

FD, CL, AD = Role.FRONT_DESK, Role.CLINICIAN, Role.ADMIN
ANSWER_TEXT = "Thoughts that you would be better off dead"  # PHQ-9 item 9, as a clinician sees it


@pytest.fixture
def clinic(make_clinic: Any) -> Clinic:
    clinic = make_clinic()
    ask(service(clinic, "infusion"), Instrument.PHQ9, Instrument.GAD7)
    return clinic


@pytest.fixture
def visit(clinic: Clinic, make_appointment: Callable[..., Appointment]) -> Appointment:
    return infusion_tomorrow(clinic, make_appointment, name="Alex Flagged")


def check_in(client: FlaskClient, appointment: Appointment, **data: Any) -> None:
    response = client.post(link_for(appointment) + "/checkin", data=full_checkin(**data))
    assert response.status_code == 303


def audited(action: AuditAction) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_item_9_flag_end_to_end(client: FlaskClient, signed_in: Callable[..., FlaskClient], clinic: Clinic,
                                visit: Appointment) -> None:
    day = visit.starts_at.astimezone(clinic.zone).date().isoformat()
    desk = signed_in(clinic, role=FD)
    clinician = signed_in(clinic, role=CL)
    assert "Urgent:" not in desk.get(f"/dashboard/day?date={day}").get_data(as_text=True)
    # The patient answers "several days" to item 9.
    check_in(client, visit, phq9=[0] * 8 + [1])
    [checkin] = db.session.scalars(select(CheckIn)).all()
    # The day sheet: the urgent banner at the top, for everyone; the reason and link for clinicians only.
    desk_day = desk.get(f"/dashboard/day?date={day}").get_data(as_text=True)
    assert "Urgent: 1 check-in needs a clinician now" in desk_day
    assert desk_day.index('class="urgent"') < desk_day.index("<h1>")
    assert "Alex Flagged" in desk_day and "please tell a clinician at once" in desk_day
    assert "self-harm" not in desk_day and f"/dashboard/checkins/{checkin.id}" not in desk_day
    assert "Check-in: needs a clinician" in desk_day
    clinician_day = clinician.get(f"/dashboard/day?date={day}").get_data(as_text=True)
    assert f'href="/dashboard/checkins/{checkin.id}"' in clinician_day
    # The clinicians' queue lists it as urgent.
    queue = clinician.get("/dashboard/checkins/").get_data(as_text=True)
    assert "Alex Flagged" in queue and "Urgent: self-harm answer" in queue
    # The clinician opens it (audited) and acknowledges it (a POST, audited).
    detail = clinician.get(f"/dashboard/checkins/{checkin.id}").get_data(as_text=True)
    assert ANSWER_TEXT in detail and "Urgent: PHQ-9 item 9 above zero" in detail
    # Both views audited: the queue (which check-ins it listed) and the answers.
    assert [(e.entity, e.entity_id) for e in audited(AuditAction.CHECKIN_VIEWED)] == [
        ("clinic", clinic.id), ("appointment", visit.id)]
    assert audited(AuditAction.CHECKIN_VIEWED)[0].details == {"queue": [checkin.id]}
    assert clinician.get(f"/dashboard/checkins/{checkin.id}/acknowledge").status_code == 405  # never on GET
    response = clinician.post(f"/dashboard/checkins/{checkin.id}/acknowledge")
    assert response.status_code == 303
    [ack] = audited(AuditAction.CHECKIN_ACKNOWLEDGED)
    assert (ack.staff_id, ack.entity_id, ack.details["checkin_id"], ack.details["urgent"]) == (
        clinician.user.id, visit.id, checkin.id, True)
    db.session.refresh(checkin)
    assert checkin.acknowledged_by_id == clinician.user.id
    # The flag is gone from the day sheet and the queue; the visit is "checked in".
    after = desk.get(f"/dashboard/day?date={day}").get_data(as_text=True)
    assert "Urgent:" not in after and "Pre-visit check-in done" in after
    assert "Alex Flagged" not in clinician.get("/dashboard/checkins/").get_data(as_text=True)
    # A second acknowledgement changes nothing.
    clinician.post(f"/dashboard/checkins/{checkin.id}/acknowledge")
    assert len(audited(AuditAction.CHECKIN_ACKNOWLEDGED)) == 1


def test_a_flag_on_a_superseded_check_in_still_needs_acknowledging(
    client: FlaskClient, clinic: Clinic, visit: Appointment
) -> None:
    check_in(client, visit, phq9=[0] * 8 + [2])
    check_in(client, visit, phq9=[0] * 9)  # corrected: the latest counts, the flag is not lost
    assert checkin_states(clinic.id, [visit.id]) == {visit.id: CheckinState.NEEDS_CLINICIAN}


def test_states_for_the_day_sheet(client: FlaskClient, clinic: Clinic, visit: Appointment,
                                  make_appointment: Callable[..., Appointment]) -> None:
    other = infusion_tomorrow(clinic, make_appointment, hour=14)
    meds = infusion_tomorrow(clinic, make_appointment, hour=16)
    check_in(client, visit)
    check_in(client, meds, medication_change="Started something")
    assert checkin_states(clinic.id, [visit.id, other.id, meds.id]) == {
        visit.id: CheckinState.DONE, other.id: CheckinState.NOT_YET, meds.id: CheckinState.NEEDS_CLINICIAN}


def test_clinician_patient_page_has_scores_chart_and_table_and_is_audited(
    client: FlaskClient, signed_in: Callable[..., FlaskClient], clinic: Clinic, visit: Appointment
) -> None:
    check_in(client, visit, phq9=[2, 2, 2, 2, 2, 2, 2, 2, 0])
    second = later_visit(clinic, visit, 4)
    check_in(client, second, phq9=[1, 1, 1, 1, 1, 1, 1, 0, 0])
    clinician = signed_in(clinic, role=CL)
    page = clinician.get(f"/dashboard/patients/{visit.patient_id}").get_data(as_text=True)
    assert '<svg class="score-chart" role="img"' in page
    assert "<title id=\"chart-phq9-title\">PHQ-9 across visits</title>" in page
    assert "<polyline" in page
    assert ">16<" in page and ">7<" in page  # the table's numbers
    assert "moderately severe" in page and "mild" in page
    assert any(e.entity == "patient" for e in audited(AuditAction.CHECKIN_VIEWED))


# Every dashboard route that shows check-in answers or scores, and what front desk gets there.
def test_front_desk_never_sees_answers_or_scores_on_any_route(
    client: FlaskClient, signed_in: Callable[..., FlaskClient], clinic: Clinic, visit: Appointment
) -> None:
    check_in(client, visit, phq9=[3, 3, 3, 3, 3, 3, 3, 3, 1], medication_change=f"Stopped {CANARY_MEDS}")
    [checkin] = db.session.scalars(select(CheckIn)).all()
    desk = signed_in(clinic, role=FD)
    day = visit.starts_at.astimezone(clinic.zone).date().isoformat()
    assert desk.get("/dashboard/checkins/").status_code == 403
    assert desk.get(f"/dashboard/checkins/{checkin.id}").status_code == 403
    assert desk.post(f"/dashboard/checkins/{checkin.id}/acknowledge").status_code == 403
    pages = [f"/dashboard/day?date={day}", "/dashboard/", f"/dashboard/week?start={day}",
             f"/dashboard/appointments/{visit.id}", f"/dashboard/patients/{visit.patient_id}",
             "/dashboard/patients/?q=Alex"]
    for path in pages:
        response = desk.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        for secret in (CANARY_MEDS, "PHQ", "score-chart", "severe", ANSWER_TEXT, "Check-in scores"):
            assert secret not in html, (path, secret)
    assert "Pre-visit check-in done" in desk.get(f"/dashboard/day?date={day}").get_data(as_text=True) or \
        "Check-in: needs a clinician" in desk.get(f"/dashboard/day?date={day}").get_data(as_text=True)
    assert audited(AuditAction.CHECKIN_VIEWED) == []
    # Admins may read answers (as they read screening answers) but the acknowledgement is a clinician's.
    admin = signed_in(clinic, role=AD)
    assert admin.get(f"/dashboard/checkins/{checkin.id}").status_code == 200
    assert admin.post(f"/dashboard/checkins/{checkin.id}/acknowledge").status_code == 403


def test_another_clinics_check_in_is_404(client: FlaskClient, signed_in: Callable[..., FlaskClient],
                                         make_clinic: Any, visit: Appointment) -> None:
    check_in(client, visit, phq9=[0] * 8 + [1])
    [checkin] = db.session.scalars(select(CheckIn)).all()
    elsewhere = signed_in(make_clinic(), role=CL)
    assert elsewhere.get(f"/dashboard/checkins/{checkin.id}").status_code == 404
    assert elsewhere.post(f"/dashboard/checkins/{checkin.id}/acknowledge").status_code == 404
    assert "Alex Flagged" not in elsewhere.get("/dashboard/").get_data(as_text=True)
