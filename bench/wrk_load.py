"""Drive load with `wrk` (Debian's package) in a separate process, and read its numbers.

Every scenario uses the same shape: 16 threads with one connection each (the
submit scenario needs that, since each connection is one patient with its own
session), a warm-up run whose numbers are thrown away, then the measured run.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

from bench.config import BENCH

LUA = BENCH / "lua"


@dataclass(frozen=True)
class LoadShape:
    """How hard and how long to push."""

    connections: int = 16
    warmup_s: int = 5
    duration_s: int = 20


@dataclass
class LoadResult:
    """What one measured run gave."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: dict[str, int]
    extra: dict[str, Any] = field(default_factory=dict)


def wrk_binary() -> str:
    """Path of wrk, or a clear error saying how to get it."""
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does this when run as root)")
    return path


def _run(url: str, script: str, shape: LoadShape, seconds: int, headers: list[str], args: list[str]) -> str:
    command = [wrk_binary(), "-t", str(shape.connections), "-c", str(shape.connections), "-d", f"{seconds}s",
               "--timeout", "10s", "-s", str(LUA / script)]
    for header in headers:
        command += ["-H", header]
    command += [url, "--", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def _line(output: str, tag: str) -> dict[str, Any]:
    for line in output.splitlines():
        if line.startswith(tag + " "):
            return json.loads(line[len(tag) + 1:])
    raise RuntimeError(f"no {tag} line in wrk output:\n{output}")


def measure(url: str, shape: LoadShape, *, script: str = "get.lua", headers: list[str] | None = None,
            args: list[str] | None = None) -> LoadResult:
    """Warm up, then measure `url` under `shape`; wrk's latencies (all requests)."""
    headers, args = headers or [], args or []
    if shape.warmup_s:
        _run(url, script, shape, shape.warmup_s, headers, args)
    output = _run(url, script, shape, shape.duration_s, headers, args)
    data = _line(output, "BENCH_JSON")
    seconds = data["duration_us"] / 1e6
    latency = data["latency_us"]
    result = LoadResult(
        requests=data["requests"],
        seconds=round(seconds, 2),
        rps=round(data["requests"] / seconds, 1),
        p50_ms=latency["p50"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        errors={k: v for k, v in data["errors"].items() if v},
    )
    if "BENCH_SUBMIT" in output:
        result.extra = _line(output, "BENCH_SUBMIT")
    return result
