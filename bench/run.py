"""`make bench`: data, floor, scenarios, outbox, EXPLAIN, report, in one run.

    python -m bench.run --engines sqlite,postgres --scales 10000,100000 [--duration 20] [--warmup 5]

For each database and scale: make (or reuse) the data set, measure the floor,
then every web scenario on a fresh gunicorn, EXPLAIN the scenarios' queries,
and (by default at the largest scale of each database) the outbox scenario.
Measurements are merged into `bench/results/<date>.json`, and the report
(`<date>.md`) and plot (`<date>.png`) are rewritten after every block, so a
long run that is stopped keeps what it measured.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import time
from dataclasses import asdict
from datetime import date, datetime, timezone
from typing import Any

from bench import explain_plans, outbox_scenario, profile_views, sms_scenario
from bench.config import RESULTS, ROOT, Target
from bench.prepare_data import prepare
from bench.report import write_markdown, write_plot
from bench.web_scenarios import (
    SCENARIOS,
    remove_submissions,
    run_app_scenario,
    run_floor,
)
from bench.wrk_load import LoadShape, wrk_binary


def log(message: str) -> None:
    """Progress on stdout, with the time."""
    print(f"{datetime.now():%H:%M:%S} {message}", flush=True)


def _load_avg() -> float:
    return round(os.getloadavg()[0], 2)


def _machine() -> str:
    with open("/proc/meminfo") as handle:
        mem_kb = int(handle.readline().split()[1])
    return f"{os.cpu_count()} cores, {mem_kb / 1024 / 1024:.0f} GiB, {platform.platform()}, Python {platform.python_version()}"


def code_version() -> str:
    """The app code measured: HEAD, plus a hash of uncommitted changes under booking/ and templates/."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    diff = subprocess.run(["git", "diff", "HEAD", "--", "booking", "templates", "migrations"], cwd=ROOT,
                          capture_output=True, text=True)
    untracked = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "booking", "templates"],
                               cwd=ROOT, capture_output=True, text=True, check=False)
    dirty = diff.stdout + untracked.stdout
    suffix = "+dirty-" + hashlib.sha1(dirty.encode()).hexdigest()[:7] if dirty.strip() else ""
    return (head.stdout.strip() or "unknown") + suffix


def _record(name: str, outcome: dict[str, Any], load_avg: float) -> dict[str, Any]:
    return {"scenario": name, "load": asdict(outcome["load"]), "peak_rss_mb": outcome["peak_rss_mb"],
            "workers": outcome["workers"], "load_avg": load_avg, "code": code_version(),
            "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def _save(results: dict[str, Any], day: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{day}.json").write_text(json.dumps(results, indent=1, default=str))
    write_plot(RESULTS / f"{day}.png", results)
    write_markdown(RESULTS / f"{day}.md", results, f"{day}.png")


def run_block(target: Target, results: dict[str, Any], args: argparse.Namespace, outbox: bool, day: str) -> None:
    """Everything for one database at one scale."""
    shape = LoadShape(args.connections, args.warmup, args.duration)
    results["data"][target.name] = prepare(target, force=args.regenerate, log=log)
    remove_submissions(target)
    block = results["web"].setdefault(target.name, {})
    for name in args.scenarios:
        load_avg = _load_avg()
        outcome = run_floor(target, shape) if name == "floor" else run_app_scenario(
            name, target, results["data"][target.name], shape)
        block[name] = _record(name, outcome, load_avg)
        load = block[name]["load"]
        log(f"[web] {target.name} {name}: {load['rps']} req/s, p50 {load['p50_ms']:.1f} p95 {load['p95_ms']:.1f} "
            f"p99 {load['p99_ms']:.1f} ms, peak RSS {outcome['peak_rss_mb']} MB, load avg {load_avg}")
        if name == "submit":
            log(f"[web] {target.name} submit: {load['extra']}")
        _save(results, day)
    remove_submissions(target)
    results["service_ms"][target.name] = dict(profile_views.service_times(target), code=code_version())
    log(f"[service] {target.name}: {results['service_ms'][target.name]}")
    if args.explain:
        found = explain_plans.explain_target(target)
        explain_plans.write_markdown(target, found, day)
        results["explain"][target.name] = explain_plans.summary(found)
        log(f"[explain] {target.name}: {results['explain'][target.name]}")
    if outbox:
        load_avg = _load_avg()
        runs = outbox_scenario.run(target, log=log)
        for item in runs.values():
            item["load_avg"] = load_avg
        results["outbox"][target.name] = dict(runs, code=code_version())
        results["sms"][target.name] = dict(sms_scenario.run(target, log=log), code=code_version())
    _save(results, day)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--scales", "--appointments", default="10000",
                        help="comma-separated appointment counts, e.g. 10000,100000,1000000")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"subset of {','.join(SCENARIOS)}")
    parser.add_argument("--duration", type=int, default=20, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up seconds per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--outbox", choices=["largest", "all", "none"], default="largest",
                        help="where to run the outbox scenario (default: each database's largest scale)")
    parser.add_argument("--no-explain", dest="explain", action="store_false")
    parser.add_argument("--regenerate", action="store_true", help="regenerate data even if fresh")
    parser.add_argument("--date", default=date.today().isoformat(), help="results file name (default today)")
    args = parser.parse_args()
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    if "floor" not in args.scenarios:
        args.scenarios.insert(0, "floor")
    wrk_binary()
    path = RESULTS / f"{args.date}.json"
    results: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    for key in ("web", "outbox", "sms", "data", "explain", "service_ms"):
        results.setdefault(key, {})
    results["machine"] = _machine()
    results["shape"] = {"connections": args.connections, "warmup_s": args.warmup, "duration_s": args.duration}
    engines = [e for e in args.engines.split(",") if e]
    scales = sorted(int(s) for s in args.scales.split(",") if s)
    started = time.perf_counter()
    for engine in engines:
        for scale in scales:
            outbox = args.outbox == "all" or (args.outbox == "largest" and scale == scales[-1])
            log(f"=== {engine} at {scale:,} appointments ===")
            run_block(Target(engine, scale), results, args, outbox, args.date)
    log(f"done in {time.perf_counter() - started:.0f} s: {RESULTS / (args.date + '.md')}")


if __name__ == "__main__":
    main()
