"""The day sheet to print: one row per visit, in time order, on Letter or A4."""
from __future__ import annotations

from flask import render_template, request

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires
from booking.dashboard.query_args import date_arg
from booking.dashboard.schedule import FLAG_LABELS
from booking.domain.permissions import Permission
from booking.models import utcnow
from booking.queries.schedule import day_entries

PAPERS = ("letter", "a4")
# Regions that print on Letter; everywhere else uses A4.
LETTER_REGIONS = ("US", "CA", "MX", "PH")


@bp.get("/day/print")
@requires(Permission.VIEW_SCHEDULE)
def day_print() -> str:
    """`?date=YYYY-MM-DD` (default today), `?paper=letter|a4` (default by the clinic's region)."""
    clinic = current_clinic()
    day = date_arg("date") or clinic.today(utcnow())
    paper = request.args.get("paper")
    if paper not in PAPERS:
        paper = "letter" if clinic.phone_region in LETTER_REGIONS else "a4"
    return render_template(
        "dashboard/day_print.html", day=day, entries=day_entries(clinic, day), paper=paper,
        flag_labels=FLAG_LABELS, papers=PAPERS, now=utcnow(),
    )
