"""Who did it and to whom, in words, for the audit log: the subject's name with a link, the actor's name."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from booking.extensions import db
from booking.models import (
    Appointment,
    AppointmentSeries,
    AuditAction,
    AuditEvent,
    ChangeRequest,
    ConsultationRequest,
    Patient,
)

# Changes made from the patient's own secret link (the audit row has no staff member).
PATIENT_LINK_ACTIONS = {
    AuditAction.APPOINTMENT_CONFIRMED_BY_PATIENT,
    AuditAction.APPOINTMENT_CANCELLED_BY_PATIENT,
    AuditAction.APPOINTMENT_REBOOKED_BY_PATIENT,
    AuditAction.RESCHEDULE_REQUESTED,
    AuditAction.DRIVER_DETAILS_SAVED,
    # What those actions do through the shared operations, also without a staff member.
    AuditAction.APPOINTMENT_CONFIRMED,
    AuditAction.APPOINTMENT_CANCELLED,
    AuditAction.APPOINTMENT_RESCHEDULED,
}
# Made by the public request form (instant booking), again with no staff member.
REQUEST_FORM_ACTIONS = {AuditAction.APPOINTMENT_BOOKED, AuditAction.REQUEST_SCHEDULED}


@dataclass(frozen=True)
class Subject:
    """The record an event is about: a person's name, where to see it, and the record's kind and id."""

    name: str
    url: str | None
    kind: str


def actor_label(event: AuditEvent, staff_name: str | None) -> str:
    """The staff member, or the patient through their secure link or the request form, or the system."""
    if staff_name:
        return staff_name
    if event.action in PATIENT_LINK_ACTIONS:
        return "patient (secure link)"
    if event.action in REQUEST_FORM_ACTIONS:
        return "patient (request form)"
    return "(system)"


def subjects(clinic_id: int, events: Sequence[AuditEvent]) -> dict[int, Subject]:
    """Each event's subject by event id, loaded in one query per kind of record on the page."""
    ids: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.entity_id is not None:
            ids[event.entity].add(event.entity_id)
    names: dict[tuple[str, int], Subject] = {}
    if ids["appointment"] or ids["change_request"]:
        via_change = dict(db.session.execute(select(ChangeRequest.id, ChangeRequest.appointment_id).where(
            ChangeRequest.clinic_id == clinic_id, ChangeRequest.id.in_(ids["change_request"])
        )).all())
        rows = db.session.execute(select(Appointment.id, Patient.full_name).join(
            Patient, Patient.id == Appointment.patient_id
        ).where(Appointment.clinic_id == clinic_id, Appointment.id.in_(ids["appointment"] | set(via_change.values()))))
        by_appointment = dict(rows.all())
        for appointment_id, name in by_appointment.items():
            url = url_for("dashboard.appointment_detail", appointment_id=appointment_id)
            names[("appointment", appointment_id)] = Subject(name, url, "appointment")
        for change_id, appointment_id in via_change.items():
            if appointment_id in by_appointment:
                url = url_for("dashboard.appointment_detail", appointment_id=appointment_id)
                names[("change_request", change_id)] = Subject(by_appointment[appointment_id], url, "change request")
    if ids["consultation_request"]:
        for request_id, name in db.session.execute(select(ConsultationRequest.id, ConsultationRequest.full_name).where(
            ConsultationRequest.clinic_id == clinic_id, ConsultationRequest.id.in_(ids["consultation_request"])
        )):
            url = url_for("dashboard.request_detail", request_id=request_id)
            names[("consultation_request", request_id)] = Subject(name, url, "request")
    patient_ids = ids["patient"]
    if patient_ids or ids["appointment_series"]:
        series = dict(db.session.execute(select(AppointmentSeries.id, AppointmentSeries.patient_id).where(
            AppointmentSeries.clinic_id == clinic_id, AppointmentSeries.id.in_(ids["appointment_series"])
        )).all())
        people = dict(db.session.execute(select(Patient.id, Patient.full_name).where(
            Patient.clinic_id == clinic_id, Patient.id.in_(patient_ids | set(series.values()))
        )).all())
        for patient_id, name in people.items():
            url = url_for("dashboard.patient_detail", patient_id=patient_id)
            names[("patient", patient_id)] = Subject(name, url, "patient")
        for series_id, patient_id in series.items():
            if patient_id in people:
                url = url_for("dashboard.patient_detail", patient_id=patient_id)
                names[("appointment_series", series_id)] = Subject(people[patient_id], url, "series")
    return {
        e.id: names[(e.entity, e.entity_id)] for e in events
        if e.entity_id is not None and (e.entity, e.entity_id) in names
    }
