"""Profile one scenario's request inside one process, with pyinstrument.

    python -m bench.profile_views --engine postgres --appointments 1000000 --scenario day_view [--repeat 200] [--html out.html]

Runs the app in-process (Flask's test client, no gunicorn, no wrk), repeats the
scenario's request, prints the mean time per request and the profile, so the
cause of a slow scenario can be seen without load noise. Submit profiles the
POST only (the form GET is its own scenario, `form`).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import time
from datetime import datetime, timezone
from typing import Any

from bench.config import STAFF_EMAIL, STAFF_PASSWORD, Target, app_environment
from bench.web_scenarios import availability_path, scenario_dates


def _client(target: Target) -> Any:
    os.environ.update(app_environment(target))
    from booking import create_app

    return create_app().test_client()


def _token(body: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body)
    assert match, "no CSRF token"
    return match.group(1)


def _sign_in(client: Any) -> None:
    token = _token(client.get("/staff/login").text)
    response = client.post("/staff/login", data={"email": STAFF_EMAIL, "password": STAFF_PASSWORD,
                                                  "csrf_token": token})
    assert response.status_code == 303, response.status_code


def request_for(scenario: str, client: Any, meta: dict[str, Any]) -> Any:
    """A function making the scenario's request once (signing in first where needed)."""
    dates = scenario_dates(datetime.now(timezone.utc))
    slug = meta["busy_clinic"]
    if scenario == "availability":
        path = availability_path(meta, dates["availability_from"], 7)
        return lambda: client.get(path)
    if scenario == "form":
        return lambda: client.get(f"/{slug}/request")
    if scenario == "submit":
        api = client.get(availability_path(meta, dates["today"], 14)).get_json()
        times = [s for d in api["dates"] for s in d["slots"]][-10:]
        counter = iter(range(10**9))

        def submit() -> Any:
            n = next(counter)
            token = _token(client.get(f"/{slug}/request").text)
            return client.post(f"/{slug}/request", data={
                "service": "initial-consultation", "full_name": f"Profile Patient {n}",
                "email": f"profile-{n}@submit.bench.example", "phone": "+1 312 555 0101",
                "date_of_birth": "1985-04-12", "concern": "depression", "heart_condition": "no",
                "substance_misuse": "no", "psychosis_or_mania": "no", "pregnancy": "no", "support_person": "yes",
                "consent_email": "y", "consent_phone": "y", "consent_privacy": "y", "csrf_token": token,
                "preferred_times": [times[n % len(times)]]})

        return submit
    _sign_in(client)
    if scenario == "day_view":
        return lambda: client.get(f"/dashboard/day?date={dates['busy_day'].isoformat()}")
    if scenario == "queue":
        return lambda: client.get("/dashboard/requests/")
    raise ValueError(scenario)


def service_times(target: Target, scenarios: tuple[str, ...] = ("availability", "form", "day_view", "queue"),
                  repeat: int = 60) -> dict[str, dict[str, float]]:
    """Mean wall and CPU milliseconds per request, one client in-process (no load, no gunicorn)."""
    meta = json.loads(target.meta_path.read_text())
    found = {}
    for scenario in scenarios:
        call = request_for(scenario, _client(target), meta)
        for _ in range(5):
            call()
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            call()
        found[scenario] = {"wall_ms": round((time.perf_counter() - started) / repeat * 1000, 2),
                           "cpu_ms": round((time.process_time() - cpu) / repeat * 1000, 2)}
    return found


def main() -> None:
    """Command line: time and profile one scenario in-process."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--appointments", type=int, default=10000)
    parser.add_argument("--scenario", choices=["availability", "form", "submit", "day_view", "queue"],
                        required=True)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--no-profile", action="store_true", help="only time it")
    parser.add_argument("--html", help="also write pyinstrument's HTML report here")
    args = parser.parse_args()
    target = Target(args.engine, args.appointments)
    meta = json.loads(target.meta_path.read_text())
    client = _client(target)
    call = request_for(args.scenario, client, meta)
    status = call().status_code  # warm caches and imports
    for _ in range(5):
        call()
    profiler = None
    if not args.no_profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        call()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{args.scenario} on {target.name}: status {status}, {wall / args.repeat * 1000:.2f} ms per request "
          f"({cpu / args.repeat * 1000:.2f} ms CPU in this process)")
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))))
        if args.html:
            with open(args.html, "w") as handle:
                handle.write(profiler.output_html())
    if args.scenario == "submit":
        from bench.web_scenarios import remove_submissions

        remove_submissions(target)


if __name__ == "__main__":
    main()
