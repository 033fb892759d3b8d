"""`flask seed-demo`: idempotent demo clinics with non-trivial availability."""
from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import (
    Appointment,
    Base,
    Chair,
    ChairKind,
    Clinic,
    Closure,
    PrevisitInstructions,
    Service,
    utcnow,
)


def counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
    }


def test_seed_demo_is_idempotent(runner: FlaskCliRunner, ctx: None) -> None:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    first = counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts() == first

    clinics = {c.slug: c for c in db.session.scalars(select(Clinic))}
    assert clinics["riverside-infusion"].timezone == "America/Chicago"
    assert clinics["harbor-ketamine"].timezone == "America/New_York"
    for slug, chairs in (("riverside-infusion", 4), ("harbor-ketamine", 2)):
        clinic = clinics[slug]
        infusion_chairs = db.session.scalars(
            select(Chair).filter_by(clinic_id=clinic.id, kind=ChairKind.INFUSION)
        ).all()
        assert len(infusion_chairs) == chairs
        services = db.session.scalars(select(Service).filter_by(clinic_id=clinic.id)).all()
        assert {s.slug for s in services} >= {"initial-consultation", "infusion-mood", "infusion-pain", "booster"}
        assert db.session.scalar(select(func.count()).select_from(Closure).filter_by(clinic_id=clinic.id))
        assert db.session.scalar(
            select(func.count()).select_from(PrevisitInstructions).filter_by(clinic_id=clinic.id)
        )
        assert db.session.scalar(select(func.count()).select_from(Appointment).filter_by(clinic_id=clinic.id))


def test_demo_availability_has_a_full_hour(runner: FlaskCliRunner, client: FlaskClient, ctx: None) -> None:
    runner.invoke(args=["seed-demo"])
    clinic = db.session.scalar(select(Clinic).filter_by(slug="riverside-infusion"))
    # The first of the coming days (the busy today and its patients' past visits come before).
    first = min(
        a.starts_at for a in db.session.scalars(select(Appointment).filter_by(clinic_id=clinic.id))
        if a.starts_at > utcnow() + timedelta(days=1)
    )
    day = first.astimezone(ZoneInfo(clinic.timezone)).date()
    body = client.get(
        f"/api/v1/clinics/{clinic.slug}/availability?service=initial-consultation&from={day}&days=1"
    ).get_json()
    assert body["dates"][0]["slots"], "consultations are free while chairs are busy"
    service = db.session.scalar(select(Service).filter_by(clinic_id=clinic.id, slug="infusion-mood"))
    service.public = True
    db.session.commit()
    body = client.get(
        f"/api/v1/clinics/{clinic.slug}/availability?service=infusion-mood&from={day}&days=1"
    ).get_json()
    local_times = {s[11:16] for s in body["dates"][0]["slots"]}
    assert "10:00" not in local_times and "08:00" in local_times
    assert utcnow() < first


def test_pages_render_for_demo_clinics(runner: FlaskCliRunner, client: FlaskClient, ctx: None) -> None:
    runner.invoke(args=["seed-demo"])
    index = client.get("/").get_data(as_text=True)
    assert "Riverside Infusion Center" in index and "Harbor Ketamine Clinic" in index
    page = client.get("/riverside-infusion/").get_data(as_text=True)
    assert "No food for 6 hours" in page and "Driver required" in page
    assert client.get("/harbor-ketamine/request").status_code == 200


def test_reserved_slugs_are_refused_by_the_database(make_clinic: Any) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        make_clinic(slug="dashboard")
    db.session.rollback()
