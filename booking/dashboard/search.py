"""The header's one search box: patients and requests together."""
from __future__ import annotations

from flask import render_template, request

from booking.dashboard import bp
from booking.dashboard.context import current_clinic, requires
from booking.domain.permissions import Permission
from booking.queries.people import LIMIT, search_people


@bp.get("/search")
@requires(Permission.VIEW_SCHEDULE)
def people_search() -> str:
    """Patients and requests by name (accents and a typo forgiven), email, phone or date of birth."""
    q = (request.args.get("q") or "").strip()[:100]
    found = search_people(current_clinic(), q)
    return render_template("dashboard/search.html", q=q, found=found, limit=LIMIT)
