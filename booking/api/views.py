"""JSON endpoints: a clinic's free times."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, jsonify, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from booking.api import bp
from booking.caching import availability_cache, stamp
from booking.domain.availability import starts_by_day
from booking.extensions import db, limiter
from booking.models import Clinic, Service, utcnow
from booking.queries.availability import find_slots
from booking.queries.calendar_version import clinic_version


def error(status: int, message: str, field: str | None = None) -> tuple[Response, int]:
    """A JSON error body: {"error": {"status", "message", "field"}}."""
    body: dict[str, object] = {"status": status, "message": message}
    if field:
        body["field"] = field
    return jsonify(error=body), status


def _api_rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


@bp.get("/clinics/<slug>/availability")
@limiter.limit(_api_rate_limit)
def availability(slug: str) -> Response | tuple[Response, int]:
    """Free start times for a public service, grouped by the clinic's local date.

    Query: `service` (slug, required), `from` (YYYY-MM-DD, default today), `days`
    (1..AVAILABILITY_MAX_DAYS, default 7).
    """
    # One light query first: with the calendar version it decides whether the
    # cached answer is still right.
    found = clinic_version(slug)
    if found is None:
        return error(404, "No clinic with that name.")
    clinic_id, version = found
    key = (clinic_id, request.args.get("service", ""), request.args.get("from", ""), request.args.get("days", ""))
    computed_from = stamp(version, utcnow())
    cache = availability_cache("api", "AVAILABILITY_CACHE_SIZE")
    cached = cache.get(key, computed_from)
    if cached is not None:
        return _json(cached)
    clinic = db.session.get(Clinic, clinic_id)
    assert clinic is not None
    today = clinic.today(utcnow())

    service_slug = request.args.get("service", "")
    service = db.session.scalar(
        select(Service).where(
            Service.clinic_id == clinic.id,
            Service.slug == service_slug,
            Service.public.is_(True),
            Service.active.is_(True),
        )
    )
    if service is None:
        return error(400, "Unknown service: give the slug of a bookable service.", "service")

    raw_from = request.args.get("from")
    try:
        first_day = date.fromisoformat(raw_from) if raw_from else today
    except ValueError:
        return error(400, "`from` must be a date written YYYY-MM-DD.", "from")

    max_days = current_app.config["AVAILABILITY_MAX_DAYS"]
    try:
        days = int(request.args.get("days", "7"))
    except ValueError:
        return error(400, "`days` must be a whole number.", "days")
    if not 1 <= days <= max_days:
        return error(400, f"`days` must be between 1 and {max_days}.", "days")
    if abs((first_day - today).days) > 3660:
        return error(400, "`from` is too far from today.", "from")

    grouped = starts_by_day(find_slots(clinic, service, first_day, days, utcnow()))
    dates = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        dates.append({"date": day.isoformat(), "slots": [start.isoformat() for start in grouped.get(day, [])]})
    response = jsonify(
        clinic=clinic.slug,
        timezone=clinic.timezone,
        service=service.slug,
        duration_minutes=service.duration_minutes,
        **{"from": first_day.isoformat()},
        days=days,
        dates=dates,
    )
    cache.put(key, computed_from, response.get_data())
    response.headers["Cache-Control"] = "no-store"
    return response


def _json(body: bytes) -> Response:
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
