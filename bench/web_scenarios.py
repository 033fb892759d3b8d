"""The HTTP scenarios: the floor, availability JSON, request submit, day view, request queue.

Each scenario gets a fresh gunicorn (same settings every time), so the peak RSS
read from its workers afterwards belongs to that scenario alone.
"""
from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta, timezone
from http.client import HTTPResponse
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from bench.config import (
    APP_PORT,
    FLOOR_PORT,
    SCRATCH,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    SUBMIT_EMAIL_DOMAIN,
    Target,
    app_environment,
)
from bench.gunicorn_server import Server, gunicorn
from bench.wrk_load import LoadShape, measure
from booking import database_uri

SCENARIOS = ("floor", "availability", "submit", "day_view", "day_view_2", "queue")
# day_view_2: the same page with as many clients as gunicorn has workers, so the
# latency is the page's own and not time spent queued behind 15 other clients.
FEW_CLIENTS = 2
BUSY_ZONE = ZoneInfo("America/Chicago")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _open(url: str, data: dict[str, str] | None = None, cookie: str | None = None) -> HTTPResponse:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={"Cookie": cookie} if cookie else {})
    try:
        return _opener.open(req, timeout=30)
    except urllib.error.HTTPError as error:  # a 303 arrives here when redirects are not followed
        return error  # type: ignore[return-value]


def _session_cookie(response: HTTPResponse) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith("session="):
            return header.split(";", 1)[0]
    raise RuntimeError("no session cookie in the response")


def staff_cookie(base_url: str) -> str:
    """Sign the bench's front-desk account in (GET for the CSRF token, then POST); its cookie."""
    form = _open(f"{base_url}/staff/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.read().decode())
    assert token, "no CSRF token on the sign-in page"
    done = _open(f"{base_url}/staff/login", {"email": STAFF_EMAIL, "password": STAFF_PASSWORD,
                                              "csrf_token": token.group(1)}, _session_cookie(form))
    if done.status != 303:
        raise RuntimeError(f"sign-in failed with {done.status}")
    return _session_cookie(done)


def scenario_dates(now: datetime) -> dict[str, date]:
    """The availability window's first day and the busy weekday shown in the day view."""
    today = now.astimezone(BUSY_ZONE).date()
    day = today + timedelta(days=1)
    while day.weekday() > 4:
        day += timedelta(days=1)
    return {"today": today, "availability_from": today + timedelta(days=2), "busy_day": day}


def availability_path(meta: dict[str, Any], first: date, days: int) -> str:
    """The public availability API for the busy clinic's benchmark service."""
    return (f"/api/v1/clinics/{meta['busy_clinic']}/availability?service={meta['availability_service']}"
            f"&from={first.isoformat()}&days={days}")


def free_times(base_url: str, meta: dict[str, Any], today: date) -> list[str]:
    """Free start times over the form's 14 days, at least 13 hours away (min notice is 12)."""
    with _open(base_url + availability_path(meta, today, 14)) as response:
        data = json.load(response)
    soon = datetime.now(timezone.utc) + timedelta(hours=13)
    times = [s for d in data["dates"] for s in d["slots"] if datetime.fromisoformat(s) > soon]
    if not times:
        raise RuntimeError("the busy clinic has no free times to submit")
    return times


def remove_submissions(target: Target) -> int:
    """Delete the requests (and their emails) that earlier submit runs created."""
    engine = create_engine(database_uri(target.database_url, str(SCRATCH)))
    like = f"%@{SUBMIT_EMAIL_DOMAIN}"
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM outbox_message WHERE kind = 'request_received' AND recipient LIKE :r"),
                     {"r": like + ">"})
        conn.execute(text("DELETE FROM preferred_time WHERE request_id IN "
                          "(SELECT id FROM consultation_request WHERE email LIKE :e)"), {"e": like})
        removed = conn.execute(text("DELETE FROM consultation_request WHERE email LIKE :e"), {"e": like}).rowcount
    if target.engine == "postgres":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE consultation_request, preferred_time, outbox_message"))
    engine.dispose()
    return removed


def _memory(server: Server) -> dict[str, Any]:
    workers = server.worker_memory_mb()
    return {"workers": workers, "peak_rss_mb": max(w["peak_mb"] for w in workers)}


def run_floor(target: Target, shape: LoadShape) -> dict[str, Any]:
    """The bare Flask app under the same gunicorn settings."""
    with gunicorn("bench.floor_app:app", FLOOR_PORT, app_environment(target), "/floor") as server:
        result = measure(server.base_url + "/floor", shape)
        return {"load": result, **_memory(server)}


def run_app_scenario(name: str, target: Target, meta: dict[str, Any], shape: LoadShape) -> dict[str, Any]:
    """One of the app's scenarios on a fresh gunicorn."""
    dates = scenario_dates(datetime.now(timezone.utc))
    with gunicorn("wsgi:app", APP_PORT, app_environment(target), "/") as server:
        base = server.base_url
        if name == "availability":
            result = measure(base + availability_path(meta, dates["availability_from"], 7), shape)
        elif name == "submit":
            times = free_times(base, meta, dates["today"])
            path = f"/{meta['busy_clinic']}/request"
            result = measure(base + path, shape, script="submit.lua", args=[path, *times])
            if result.extra:
                # One submission is two requests (GET the form, POST it).
                result.extra["submits_per_s"] = round(result.extra["submitted"] / result.seconds, 1)
        elif name in ("day_view", "day_view_2"):
            if name == "day_view_2":
                shape = LoadShape(FEW_CLIENTS, shape.warmup_s, shape.duration_s)
            cookie = staff_cookie(base)
            result = measure(base + f"/dashboard/day?date={dates['busy_day'].isoformat()}", shape,
                             headers=[f"Cookie: {cookie}"])
        elif name == "queue":
            cookie = staff_cookie(base)
            result = measure(base + "/dashboard/requests/", shape, headers=[f"Cookie: {cookie}"])
        else:
            raise ValueError(name)
        return {"load": result, **_memory(server)}
