"""Make sure a bench database holds a fresh data set at the wanted scale.

    python -m bench.prepare_data --engine postgres --appointments 1000000 [--force]

A database is reused while its sidecar (`bench/results/tmp/<engine>-<scale>.json`)
says it was generated at this scale in the last few days; otherwise it is
dropped, migrated and loaded again.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bench.bulk_load import load, migrate, recreate_database
from bench.config import Target
from bench.dataset import build_dataset

# The busy clinic's full days reach 30 days back and 60 ahead: a week's drift is harmless.
MAX_AGE = timedelta(days=7)


def _generator_version() -> str:
    """A hash of the generator's source: a data set made by other code is made again."""
    digest = hashlib.sha1()
    for name in ("data_clinics.py", "data_history.py", "dataset.py", "bulk_load.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:12]


VERSION = _generator_version()


def current_meta(target: Target) -> dict[str, Any] | None:
    """The sidecar of a usable existing data set, or None."""
    try:
        meta = json.loads(target.meta_path.read_text())
    except (OSError, ValueError):
        return None
    fresh = date.today() - date.fromisoformat(meta["generated_on"]) <= MAX_AGE
    if meta.get("version") == VERSION and meta.get("appointments") == target.scale and fresh:
        return meta
    return None


def prepare(target: Target, force: bool = False, log: Any = print) -> dict[str, Any]:
    """Reuse or (re)generate the target's data; its metadata, with timings."""
    meta = None if force else current_meta(target)
    if meta is not None:
        log(f"[data] {target.name}: reusing data generated on {meta['generated_on']}")
        return meta
    if target.meta_path.exists():
        target.meta_path.unlink()
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    recreate_database(target)
    migrate(target)
    migrated = time.perf_counter()
    dataset = build_dataset(target.scale, now.date(), now)
    built = time.perf_counter()
    log(f"[data] {target.name}: generated {sum(dataset.meta['rows'].values()):,} rows "
        f"in {built - migrated:.1f} s, loading")
    load_seconds = load(target, dataset)
    meta = dict(dataset.meta, version=VERSION, engine=target.engine,
                seconds={"migrate": round(migrated - started, 1), "generate": round(built - migrated, 1),
                         "load": round(load_seconds, 1), "total": round(time.perf_counter() - started, 1)})
    target.meta_path.write_text(json.dumps(meta, indent=2))
    log(f"[data] {target.name}: ready in {meta['seconds']['total']} s {meta['seconds']}")
    return meta


def main() -> None:
    """Command line: generate (or reuse) one data set."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--appointments", type=int, default=10000)
    parser.add_argument("--force", action="store_true", help="regenerate even if a fresh data set exists")
    args = parser.parse_args()
    prepare(Target(args.engine, args.appointments), force=args.force)


if __name__ == "__main__":
    main()
