"""Turn a day's measurements into `bench/results/<date>.md` (tables, targets) and a PNG.

The generated part of the Markdown sits between two marker comments; anything
written by hand outside them (findings, profiles, before/after) is kept when
the report is generated again.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.targets import evaluate

BEGIN, END = "<!-- generated: begin -->", "<!-- generated: end -->"
LABELS = {"floor": "floor (bare Flask JSON)", "availability": "availability JSON, 7 days",
          "submit": "request submit (GET form + POST)", "day_view": "staff day view",
          "day_view_2": "staff day view, 2 clients",
          "queue": "request queue (1,000 open)"}
ORDER = ["floor", "availability", "submit", "day_view", "day_view_2", "queue"]


def scenario_numbers(entry: dict[str, Any]) -> dict[str, Any]:
    """Throughput and latency as reported: submit counts whole submissions and POST latency."""
    load = entry["load"]
    if entry.get("scenario") == "submit" and load.get("extra"):
        post = load["extra"]["post_us"]
        return {"rps": load["extra"]["submits_per_s"], "p50": post["p50"] / 1000, "p95": post["p95"] / 1000,
                "p99": post["p99"] / 1000}
    return {"rps": load["rps"], "p50": load["p50_ms"], "p95": load["p95_ms"], "p99": load["p99_ms"]}


def _blocks(results: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    items = []
    for name, scenarios in results.get("web", {}).items():
        engine, scale = name.split("-")
        items.append((engine, int(scale), scenarios))
    return sorted(items, key=lambda t: (t[0] != "postgres", t[1]))


def _web_table(results: dict[str, Any]) -> list[str]:
    lines = ["| Database | Appointments | Scenario | Throughput (/s) | × floor | p50 ms | p95 ms | p99 ms "
             "| Peak RSS/worker MB | Errors | Load avg | Code |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---|"]
    for engine, scale, scenarios in _blocks(results):
        floor = scenarios.get("floor")
        floor_rps = scenario_numbers(floor)["rps"] if floor else None
        for name in ORDER:
            entry = scenarios.get(name)
            if entry is None:
                continue
            n = scenario_numbers(entry)
            ratio = f"{n['rps'] / floor_rps:.2f}" if floor_rps else "–"
            errors = entry["load"].get("errors") or {}
            codes = entry["load"].get("extra", {}).get("post_codes")
            note = ", ".join(f"{k} {v}" for k, v in errors.items()) or "0"
            if codes:
                note += " (POST " + ", ".join(f"{k}: {v}" for k, v in codes.items()) + ")"
            lines.append(f"| {engine} | {scale:,} | {LABELS[name]} | {n['rps']:.1f} | {ratio} | {n['p50']:.1f} "
                         f"| {n['p95']:.1f} | {n['p99']:.1f} | {entry['peak_rss_mb']:.0f} | {note} "
                         f"| {entry.get('load_avg', 0):.1f} | {entry.get('code', '?')} |")
    return lines


def _growth_table(results: dict[str, Any]) -> list[str]:
    lines = ["| Database | Scenario | " + " | ".join(["p50 / p95 ms at each scale"]) + " | p50 largest ÷ smallest |",
             "|---|---|---|---:|"]
    by_engine: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for engine, scale, scenarios in _blocks(results):
        by_engine.setdefault(engine, []).append((scale, scenarios))
    for engine, rows in by_engine.items():
        if len(rows) < 2:
            continue
        for name in ORDER[1:]:
            points = [(s, scenario_numbers(sc[name])) for s, sc in rows if name in sc]
            if len(points) < 2:
                continue
            cells = ", ".join(f"{s:,}: {p['p50']:.1f} / {p['p95']:.1f}" for s, p in points)
            lines.append(f"| {engine} | {LABELS[name]} | {cells} | {points[-1][1]['p50'] / points[0][1]['p50']:.2f} |")
    return lines


def _outbox_table(results: dict[str, Any]) -> list[str]:
    lines = ["| Database | Appointments | Sender | Messages/s | × smtplib floor | Received | Duplicates "
             "| Seconds | Load avg |", "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for name, runs in sorted(results.get("outbox", {}).items()):
        engine, scale = name.split("-")
        floor = runs["floor"]["per_s"]
        for key in ("floor", "workers_1", "workers_4"):
            if key not in runs:
                continue
            r = runs[key]
            label = "smtplib, one connection (floor)" if key == "floor" else f"{r['workers']} × `flask outbox work`"
            lines.append(f"| {engine} | {int(scale):,} | {label} | {r['per_s']:.1f} | {r['per_s'] / floor:.2f} "
                         f"| {r['count']:,} | {r['duplicates']} | {r['seconds']} | {r.get('load_avg', 0):.1f} |")
    return lines


def _sms_table(results: dict[str, Any]) -> list[str]:
    lines = ["| Database | Sender | Texts/s | × client floor | Received | Duplicates | Seconds |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for name, runs in sorted(results.get("sms", {}).items()):
        engine = name.split("-")[0]
        floor = runs["floor"]["per_s"]
        for key in ("floor", "workers_1", "workers_4"):
            if key not in runs:
                continue
            r = runs[key]
            label = "twilio client, one loop (floor)" if key == "floor" else f"{r['workers']} × `outbox work --channel sms`"
            lines.append(f"| {engine} | {label} | {r['per_s']:.1f} | {r['per_s'] / floor:.2f} | {r['count']:,} "
                         f"| {r['duplicates']} | {r['seconds']} |")
    return lines


def _data_table(results: dict[str, Any]) -> list[str]:
    lines = ["| Data set | Clinics | Rows in all | Generate s | Load s | Total s (with migrate) |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, meta in sorted(results.get("data", {}).items(), key=lambda kv: (kv[0].split("-")[0],
                                                                               int(kv[0].split("-")[1]))):
        seconds = meta.get("seconds", {})
        lines.append(f"| {name} | {meta['clinics']} | {sum(meta['rows'].values()):,} | {seconds.get('generate', '–')} "
                     f"| {seconds.get('load', '–')} | {seconds.get('total', '–')} |")
    return lines


def _service_table(results: dict[str, Any]) -> list[str]:
    names = ["availability", "form", "day_view", "queue"]
    lines = ["| Database | Appointments | " + " | ".join(f"{n} wall / CPU ms" for n in names) + " | Code |",
             "|---|---:|" + "---:|" * len(names) + "---|"]
    for name, found in sorted(results.get("service_ms", {}).items(),
                              key=lambda kv: (kv[0].split("-")[0] != "postgres", int(kv[0].split("-")[1]))):
        engine, scale = name.split("-")
        cells = [f"{found[n]['wall_ms']:.1f} / {found[n]['cpu_ms']:.1f}" if n in found else "–" for n in names]
        lines.append(f"| {engine} | {int(scale):,} | " + " | ".join(cells) + f" | {found.get('code', '?')} |")
    return lines


def _explain_table(results: dict[str, Any]) -> list[str]:
    lines = ["| Database | Appointments | Scenario | Queries | Database time ms | Full scans of growing tables |",
             "|---|---:|---|---:|---:|---:|"]
    for name, found in sorted(results.get("explain", {}).items(),
                              key=lambda kv: (kv[0].split("-")[0] != "postgres", int(kv[0].split("-")[1]))):
        engine, scale = name.split("-")
        for scenario, s in found.items():
            lines.append(f"| {engine} | {int(scale):,} | {scenario} | {s['queries']} | {s['db_ms']} | {s['full_scans']} |")
    return lines


def generated_section(results: dict[str, Any], png_name: str) -> str:
    """The Markdown that is rewritten on every run."""
    shape = results.get("shape", {})
    lines = [BEGIN, "", "## Setup", "",
             f"- Machine: {results.get('machine', '')}",
             f"- Load: `wrk` {shape.get('connections', 16)} threads × 1 connection, {shape.get('warmup_s')} s "
             f"warm-up then {shape.get('duration_s')} s measured, per scenario; gunicorn `--workers 2 "
             "--worker-class sync`, restarted for every scenario (so peak RSS is per scenario).",
             "- Floor: a bare Flask view returning a small JSON document, same gunicorn settings, measured "
             "right before each database/scale block; `× floor` is throughput ÷ that floor.",
             "- Submit: one submission = GET the form (new session, CSRF token) + POST it; throughput is "
             "submissions/s (each is two requests), latency is the POST's.",
             "- Day view, 2 clients: the same page with one client per gunicorn worker, so its latency is "
             "the page's own rather than time queued behind other clients (with 16 closed-loop clients on "
             "2 sync workers, each request waits behind about 7 others).",
             "- Load avg: the machine's 1-minute load average just before the scenario (other work on the "
             "machine shows here).", "",
             "## Web scenarios", "", *_web_table(results), "",
             "## Growth (latency against database size)", "", f"![latency against database size]({png_name})", "",
             *_growth_table(results), "",
             "## Service time (one client, in-process: no gunicorn, no load)", "",
             "Less sensitive to other work on the machine than the loaded numbers; `form` is the request "
             "form's GET (half of a submission).", "", *_service_table(results), "",
             "## Queries (EXPLAIN of every SELECT each request sends; plans in the -explain- files)", "",
             "PostgreSQL times are `EXPLAIN ANALYZE` execution times; SQLite has none.", "",
             *_explain_table(results), "",
             "## Outbox (10,000 due messages to a local aiosmtpd sink)", "", *_outbox_table(results), "",
             "## Texts (due texts to a local fake of Twilio's API, the real twilio client)", "",
             *_sms_table(results), "",
             "## Data sets", "", *_data_table(results), "",
             "## Targets", "", *evaluate(results), "", END]
    return "\n".join(lines)


def write_markdown(path: Path, results: dict[str, Any], png_name: str) -> None:
    """Write the report, keeping hand-written text outside the generated markers."""
    section = generated_section(results, png_name)
    if path.exists() and BEGIN in path.read_text():
        old = path.read_text()
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1] if END in rest else ""
        path.write_text(head + section + tail)
    else:
        path.write_text(f"# Benchmark results, {path.stem}\n\n{section}\n")


def write_plot(path: Path, results: dict[str, Any]) -> None:
    """p50 and p95 latency against appointments in the database, one panel per database."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    blocks = _blocks(results)
    engines = sorted({e for e, _, _ in blocks}, key=lambda e: e != "postgres")
    fig, axes = plt.subplots(1, max(1, len(engines)), figsize=(6.5 * max(1, len(engines)), 6.2), squeeze=False)
    for ax, engine in zip(axes[0], engines, strict=False):
        rows = [(s, sc) for e, s, sc in blocks if e == engine]
        for name in ORDER:
            points = [(s, scenario_numbers(sc[name])) for s, sc in rows if name in sc]
            if not points:
                continue
            xs = [s for s, _ in points]
            line, = ax.plot(xs, [p["p50"] for _, p in points], marker="o", label=f"{LABELS[name]} p50")
            ax.plot(xs, [p["p95"] for _, p in points], marker="x", linestyle="--", color=line.get_color(),
                    label=f"{name} p95")
        ax.axhline(25, color="grey", linestyle=":", linewidth=1)
        ax.text(xs[0], 25 * 1.05, "availability p99 target 25 ms", fontsize=7, color="grey")
        ax.axhline(50, color="grey", linestyle="-.", linewidth=1)
        ax.text(xs[0], 50 * 1.05, "day view p95 target 50 ms", fontsize=7, color="grey")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("appointments in the database")
        ax.set_ylabel("latency, ms (16 clients unless named; submit: the POST)")
        ax.set_title(engine)
        ax.grid(True, which="both", alpha=0.3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=7)
    fig.tight_layout(rect=(0, 0.16, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
