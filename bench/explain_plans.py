"""EXPLAIN every SELECT a scenario's request issues, to check windowed queries and indexes.

    python -m bench.explain_plans --engine postgres --appointments 1000000

Makes each scenario's request once in-process, records the statements the app
sent (SQLAlchemy's cursor events), then runs `EXPLAIN (ANALYZE, BUFFERS)` on
PostgreSQL or `EXPLAIN QUERY PLAN` on SQLite for each, and writes the plans to
`bench/results/<date>-explain-<engine>-<scale>.md`.
"""
from __future__ import annotations

import argparse
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.config import RESULTS, Target
from bench.profile_views import _client, request_for

SCENARIOS = ("availability", "day_view", "queue")


def _capture(client: Any, call: Any) -> list[tuple[str, Any]]:
    from booking.extensions import db

    seen: list[tuple[str, Any]] = []
    with client.application.app_context():
        engine = db.engine

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not many:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return seen


def _explain(client: Any, statements: list[tuple[str, Any]], engine_name: str) -> list[dict[str, Any]]:
    from booking.extensions import db

    plans = []
    with client.application.app_context():
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in statements:
                if engine_name == "postgres":
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    lines = [row[0] for row in cursor.fetchall()]
                    took = re.search(r"Execution Time: ([\d.]+) ms", lines[-1])
                    ms = float(took.group(1)) if took else None
                else:
                    cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                    lines = [f"{'  ' * (row[1] > 0)}{row[-1]}" for row in cursor.fetchall()]
                    ms = None
                plan = "\n".join(lines)
                full_scan = bool(re.search(r"Seq Scan on (appointment|patient|consultation_request|outbox_message"
                                           r"|preferred_time|audit_event)\b|SCAN (appointment|patient|"
                                           r"consultation_request|outbox_message|preferred_time|audit_event)\b",
                                           plan))
                plans.append({"sql": " ".join(statement.split()), "plan": plan, "ms": ms, "full_scan": full_scan})
            raw.rollback()
        finally:
            raw.close()
    return plans


def explain_target(target: Target) -> dict[str, list[dict[str, Any]]]:
    """Plans of every SELECT made by each scenario's request on `target`."""
    meta = json.loads(target.meta_path.read_text())
    found = {}
    for scenario in SCENARIOS:
        client = _client(target)
        call = request_for(scenario, client, meta)
        found[scenario] = _explain(client, _capture(client, call), target.engine)
    return found


def write_markdown(target: Target, found: dict[str, list[dict[str, Any]]], day: str) -> Path:
    """The plans as a Markdown file next to the results."""
    path = RESULTS / f"{day}-explain-{target.name}.md"
    lines = [f"# Query plans: {target.name} ({day})", "",
             "Every SELECT each scenario's request sends, explained on the same data. "
             "`full scan` marks a sequential scan of a table that grows with the data.", ""]
    for scenario, plans in found.items():
        lines += [f"## {scenario}", ""]
        for n, item in enumerate(plans, start=1):
            took = f", {item['ms']:.2f} ms" if item["ms"] is not None else ""
            flag = " — **full scan**" if item["full_scan"] else ""
            lines += [f"### {n}. {item['sql'][:110]}…{took}{flag}", "", "```sql", item["sql"], "```", "",
                      "```", item["plan"], "```", ""]
    path.write_text("\n".join(lines))
    return path


def summary(found: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Per scenario: queries, their total execution time, and how many scan a growing table whole."""
    return {s: {"queries": len(p), "db_ms": round(sum(i["ms"] or 0 for i in p), 2),
                "full_scans": sum(i["full_scan"] for i in p)} for s, p in found.items()}


def main() -> None:
    """Command line: explain one target's scenarios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--appointments", type=int, default=10000)
    args = parser.parse_args()
    target = Target(args.engine, args.appointments)
    found = explain_target(target)
    print(write_markdown(target, found, date.today().isoformat()))
    print(json.dumps(summary(found), indent=2))


if __name__ == "__main__":
    main()
