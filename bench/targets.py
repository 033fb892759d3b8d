"""The issue's targets, checked against a day's measurements: met, missed, or not measured."""
from __future__ import annotations

from typing import Any

AVAILABILITY_FLOOR_SHARE = 0.5
AVAILABILITY_P99_MS = 25
GROWTH_MAX = 1.3
SUBMIT_FLOOR_SHARE = 0.25
DAY_VIEW_P95_MS = 50
OUTBOX_FLOOR_SHARE = 0.5
PEAK_RSS_MB = 120
# Restated after the 2026-11-22 runs (reasons in bench/results/2026-11-22.md): the
# issue's figure where this design cannot reach it, a higher bar where it was met easily.
RESTATED_AVAILABILITY_FLOOR_SHARE = 0.20
RESTATED_SUBMIT_FLOOR_SHARE = 0.015
RESTATED_SUBMIT_POST_P95_MS = 150
RAISED_DAY_VIEW_FEW_CLIENTS_P95_MS = 25
RESTATED_DAY_VIEW_16_CLIENTS_P95_MS = 150
RAISED_GROWTH_MAX = 1.15
RAISED_OUTBOX_SCALING = 1.5


def _numbers(entry: dict[str, Any]) -> dict[str, Any]:
    from bench.report import scenario_numbers

    return scenario_numbers(entry)


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**missed**")


def _blocks(results: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    out = []
    for name, scenarios in results.get("web", {}).items():
        engine, scale = name.split("-")
        out.append((engine, int(scale), scenarios))
    return sorted(out, key=lambda t: (t[0] != "postgres", t[1]))


def _share(scenarios: dict[str, Any], name: str) -> float | None:
    if name not in scenarios or "floor" not in scenarios:
        return None
    return _numbers(scenarios[name])["rps"] / _numbers(scenarios["floor"])["rps"]


def evaluate(results: dict[str, Any]) -> list[str]:
    """One Markdown bullet per target and measurement."""
    blocks = _blocks(results)
    lines = ["| Target | Where | Measured | Verdict |", "|---|---|---|---|"]

    def add(target: str, where: str, measured: str, ok: bool | None) -> None:
        lines.append(f"| {target} | {where} | {measured} | {_verdict(ok)} |")

    for engine, scale, sc in blocks:
        share = _share(sc, "availability")
        if share is not None:
            p99 = _numbers(sc["availability"])["p99"]
            add("Availability ≥ 50% of floor throughput", f"{engine} {scale:,}", f"{share:.0%}",
                share >= AVAILABILITY_FLOOR_SHARE)
            add("Availability p99 < 25 ms at 16 clients", f"{engine} {scale:,}", f"{p99:.1f} ms",
                p99 < AVAILABILITY_P99_MS)
            add("*Restated:* availability ≥ 20% of floor", f"{engine} {scale:,}", f"{share:.0%}",
                share >= RESTATED_AVAILABILITY_FLOOR_SHARE)
        share = _share(sc, "submit")
        if share is not None:
            add("Request submit ≥ 25% of floor throughput", f"{engine} {scale:,}",
                f"{share:.0%} (submissions/s ÷ floor req/s)", share >= SUBMIT_FLOOR_SHARE)
            post_p95 = _numbers(sc["submit"])["p95"]
            add("*Restated:* submit ≥ 1.5% of floor, POST p95 < 150 ms", f"{engine} {scale:,}",
                f"{share:.1%}, {post_p95:.1f} ms",
                share >= RESTATED_SUBMIT_FLOOR_SHARE and post_p95 < RESTATED_SUBMIT_POST_P95_MS)
    by_engine: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for engine, scale, sc in blocks:
        by_engine.setdefault(engine, []).append((scale, sc))
    for engine, rows in by_engine.items():
        small, large = rows[0], rows[-1]
        for name in ("availability", "day_view", "queue"):
            if name not in small[1] or name not in large[1] or small[0] == large[0]:
                continue
            ratio = _numbers(large[1][name])["p50"] / _numbers(small[1][name])["p50"]
            full = small[0] == 10_000 and large[0] == 1_000_000
            where = f"{engine} {small[0]:,} → {large[0]:,}" + ("" if full else " (not the full 10k → 1M span)")
            add(f"Growth ≤ 1.3× p50: {name}", where, f"{ratio:.2f}×", ratio <= GROWTH_MAX if full else
                (False if ratio > GROWTH_MAX else None))
            if full:
                add(f"*Raised:* growth ≤ 1.15× p50: {name}", where, f"{ratio:.2f}×", ratio <= RAISED_GROWTH_MAX)
        for scale, sc in rows:
            if scale < 1_000_000:
                continue
            for name, clients, bar, label in (
                ("day_view_2", "2 clients, one per worker", RAISED_DAY_VIEW_FEW_CLIENTS_P95_MS, "*Raised:*"),
                ("day_view", "16 clients", RESTATED_DAY_VIEW_16_CLIENTS_P95_MS, "*Restated:*"),
            ):
                if name in sc:
                    p95 = _numbers(sc[name])["p95"]
                    add(f"Day view p95 < 50 ms at 1M appointments ({clients})", f"{engine} {scale:,}",
                        f"{p95:.1f} ms", p95 < DAY_VIEW_P95_MS)
                    add(f"{label} day view p95 < {bar} ms at 1M ({clients})", f"{engine} {scale:,}",
                        f"{p95:.1f} ms", p95 < bar)
    if not any(s >= 1_000_000 for _, s, _ in blocks):
        add("Day view p95 < 50 ms at 1M appointments", "–", "no 1M run", None)
    for name, runs in sorted(results.get("outbox", {}).items()):
        floor = runs["floor"]["per_s"]
        one = runs.get("workers_1")
        if one:
            add("Outbox: 1 worker ≥ 50% of smtplib floor", name, f"{one['per_s'] / floor:.0%}",
                one["per_s"] / floor >= OUTBOX_FLOOR_SHARE)
        four = runs.get("workers_4")
        if one and four:
            faster = four["per_s"] > one["per_s"]
            add("Outbox: 4 workers faster than 1, 0 duplicates", name,
                f"{four['per_s']:.1f} vs {one['per_s']:.1f} msg/s, {four['duplicates']} duplicates, "
                f"{four['count']:,} received", faster and four["duplicates"] == 0 and four["count"] == 10_000)
            scaling = four["per_s"] / one["per_s"]
            add("*Raised:* outbox 4 workers ≥ 1.5× one, 0 duplicates", name, f"{scaling:.2f}×",
                scaling >= RAISED_OUTBOX_SCALING and four["duplicates"] == 0)
    peaks = [(f"{e} {s:,} {n}", entry["peak_rss_mb"]) for e, s, sc in blocks for n, entry in sc.items()
             if n != "floor"]
    if peaks:
        where, worst = max(peaks, key=lambda p: p[1])
        add("Peak RSS per worker < 120 MB (every scenario)", f"worst: {where}", f"{worst:.0f} MB",
            worst < PEAK_RSS_MB)
    return lines
