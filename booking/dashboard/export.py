"""The appointments CSV export: a local date range, formula-safe cells, audited."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, render_template, request, stream_with_context
from flask_wtf import FlaskForm
from sqlalchemy import and_, select
from wtforms import DateField, Field, Form, ValidationError
from wtforms.fields.core import UnboundField
from wtforms.validators import InputRequired

from booking.dashboard import bp
from booking.dashboard.context import actor_id, current_clinic, requires
from booking.domain.availability import day_bounds
from booking.domain.permissions import Permission
from booking.extensions import db
from booking.models import Appointment, AuditAction, Canceller, Chair, Clinic, Patient, Service, StaffUser, utcnow
from booking.operations import audit
from booking.templating import phone
from booking.validators import WithinCalendar

MAX_EXPORT_DAYS = 366
CSV_HEADER = (
    "Patient name", "Email", "Phone", "Service", "Chair",
    "Start (local)", "Start (ISO 8601)", "End (local)", "End (ISO 8601)", "Status",
    "Attendance confirmed", "Driver", "Driver phone", "Driver confirmed", "Cancellation reason", "Cancelled by",
)
# The default range: the coming weeks, which is what the front desk plans with.
DEFAULT_DAYS = 30

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """`value` made inert for spreadsheets: a leading formula character gets a quote."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_line(cells: Iterable[str]) -> str:
    """One CSV record (CRLF-terminated), every cell made formula-safe."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_safe(cell) for cell in cells])
    return buffer.getvalue()


class ExportForm(FlaskForm):
    """A date range, both ends included, in the clinic's local dates."""

    class Meta:
        csrf = False  # a GET form that only reads: nothing to forge

        def bind_field(self, form: Form, unbound_field: UnboundField, options: dict[str, Any]) -> Field:
            """Field `from_` answers to `?from=` (a Python keyword cannot name an attribute)."""
            if options["name"] == "from_":
                options = {**options, "name": "from"}
            return unbound_field.bind(form=form, **options)

    from_ = DateField(
        "From",
        validators=[InputRequired("Enter the first date, e.g. 2026-03-01."), WithinCalendar()],
        invalid_value_message="Enter the first date as YYYY-MM-DD, e.g. 2026-03-01.",
    )
    to = DateField(
        "To (included)",
        validators=[InputRequired("Enter the last date, e.g. 2026-03-31."), WithinCalendar()],
        invalid_value_message="Enter the last date as YYYY-MM-DD, e.g. 2026-03-31.",
    )

    def validate_to(self, field: DateField) -> None:
        """At least one day and at most MAX_EXPORT_DAYS."""
        first = self.from_.data
        if first is None or field.data is None:
            return
        if field.data < first:
            raise ValidationError("The last date cannot be before the first date.")
        if (field.data - first).days + 1 > MAX_EXPORT_DAYS:
            raise ValidationError(f"Export at most {MAX_EXPORT_DAYS} days at a time.")


def _render_export(form: Form, status: int = 200) -> tuple[str, int]:
    return render_template("dashboard/export.html", form=form, max_days=MAX_EXPORT_DAYS), status


@bp.get("/export")
@requires(Permission.EXPORT)
def export_form() -> tuple[str, int]:
    """Choose the dates to export."""
    today = current_clinic().today(utcnow())
    form = ExportForm(formdata=None, data={"from_": today, "to": today + timedelta(days=DEFAULT_DAYS - 1)})
    return _render_export(form)


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    """A time as people read it in the clinic, e.g. 2027-01-15 09:00 ('' if none)."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _iso(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds")


def _cancelled_by(who: Canceller | None, staff_name: str | None) -> str:
    if who is Canceller.PATIENT:
        return "patient (secure link)"
    if who is Canceller.STAFF:
        return f"staff: {staff_name}" if staff_name else "staff"
    return ""


def _rows(clinic: Clinic, starts: datetime, ends: datetime) -> Iterator[str]:
    clinic_id, zone = clinic.id, clinic.zone
    query = (
        select(
            Patient.full_name,
            Patient.email,
            Patient.phone,
            Service.name.label("service"),
            Chair.name.label("chair"),
            Appointment,
            StaffUser.full_name.label("cancelled_by_name"),
        )
        .outerjoin(StaffUser, StaffUser.id == Appointment.cancelled_by_id)
        .join(Patient, and_(Patient.id == Appointment.patient_id, Patient.clinic_id == clinic_id))
        .join(Service, and_(Service.id == Appointment.service_id, Service.clinic_id == clinic_id))
        .join(Chair, and_(Chair.id == Appointment.chair_id, Chair.clinic_id == clinic_id))
        .where(Appointment.clinic_id == clinic_id, Appointment.starts_at >= starts, Appointment.starts_at < ends)
        .order_by(Appointment.starts_at, Appointment.id)
        .execution_options(yield_per=500)
    )
    yield csv_line(CSV_HEADER)
    for row in db.session.execute(query):
        a: Appointment = row.Appointment
        yield csv_line((
            row.full_name,
            row.email,
            phone(row.phone, clinic),
            row.service,
            row.chair,
            _local(a.starts_at, zone),
            _iso(a.starts_at, zone),
            _local(a.ends_at, zone),
            _iso(a.ends_at, zone),
            a.status.value,
            _local(a.patient_confirmed_at, zone),
            a.driver_name,
            phone(a.driver_phone, clinic),
            _local(a.driver_confirmed_at, zone),
            a.cancel_reason or "",
            _cancelled_by(a.cancelled_by, row.cancelled_by_name),
        ))


@bp.get("/export.csv")
@requires(Permission.EXPORT)
def export_csv() -> Response | tuple[str, int]:
    """The current clinic's appointments starting in a local date range, as CSV."""
    form = ExportForm(formdata=request.args)
    if not form.validate():
        return _render_export(form, 400)
    clinic = current_clinic()
    zone = clinic.zone
    first: date = form.from_.data
    last: date = form.to.data
    starts, ends = day_bounds(first, zone).start, day_bounds(last, zone).end
    audit.record(clinic.id, actor_id(), AuditAction.APPOINTMENTS_EXPORTED, "clinic", clinic.id,
                 **{"from": first.isoformat(), "to": last.isoformat()})
    # Commit before streaming: the log entry must not depend on the download finishing.
    db.session.commit()
    filename = f"appointments-{clinic.slug}-{first.isoformat()}-to-{last.isoformat()}.csv"
    return Response(
        stream_with_context(_rows(clinic, starts, ends)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
