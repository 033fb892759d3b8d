"""Create a bench database, migrate it, and bulk-load a generated data set.

PostgreSQL gets `COPY ... FROM STDIN` (psycopg 3); SQLite gets one
`executemany` per table inside one transaction. The schema always comes from
the project's migrations (`flask db upgrade`), never from `create_all`, and
the exclusion constraint stays in place during the load, so PostgreSQL itself
checks that no two active appointments overlap on a chair.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from datetime import date, datetime, timezone
from datetime import time as dtime
from typing import Any

import psycopg
from sqlalchemy import create_engine, inspect

from bench.config import (
    POSTGRES_ADMIN_URL,
    ROOT,
    SCRATCH,
    VENV_BIN,
    Target,
    app_environment,
)
from bench.dataset import Dataset
from bench.rows import TableRows
from booking import database_uri
from booking.models import Base

UTC = timezone.utc


def recreate_database(target: Target) -> None:
    """Drop and create the target's (empty) database."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    if target.engine == "sqlite":
        path = target.database_url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return
    name = target.database_url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate(target: Target) -> None:
    """Bring the schema up to date with the project's Alembic migrations."""
    subprocess.run([str(VENV_BIN / "flask"), "--app", "booking", "db", "upgrade"], cwd=ROOT,
                   env=app_environment(target), check=True, capture_output=True)


def _defaults(table: str) -> dict[str, Any]:
    """Python-side column defaults from the models (scalars and callables)."""
    values: dict[str, Any] = {}
    for column in Base.metadata.tables[table].columns:
        default = column.default
        if default is None:
            continue
        if default.is_scalar:
            values[column.name] = default.arg
        elif default.is_callable:
            values[column.name] = default.arg(None)
    return values


def _complete(rows: TableRows, columns: list[str]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The rows widened to every column the database has, defaults filled in."""
    defaults = _defaults(rows.table)
    given = {c: i for i, c in enumerate(rows.columns)}
    missing = [c for c in columns if c not in given]
    fixed = tuple(defaults.get(c) for c in missing)
    unknown = set(rows.columns) - set(columns)
    if unknown:
        raise RuntimeError(f"{rows.table}: the database has no column(s) {sorted(unknown)}")
    return list(rows.columns) + missing, [r + fixed for r in rows.rows]


def _json_ready(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, (list, dict)) else value


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy would store on SQLite (naive UTC text datetimes, 0/1 booleans)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dtime):
        return value.strftime("%H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return _json_ready(value)


def _load_postgres(target: Target, dataset: Dataset, columns: dict[str, list[str]]) -> None:
    with psycopg.connect(target.database_url) as conn:
        for rows in dataset.tables:
            names, data = _complete(rows, columns[rows.table])
            json_at = [i for i, v in enumerate(data[0]) if isinstance(v, (list, dict))] if data else []
            with conn.cursor() as cur:
                with cur.copy(f"COPY {rows.table} ({', '.join(names)}) FROM STDIN") as copy:
                    for row in data:
                        if json_at:
                            row = tuple(_json_ready(v) for v in row)
                        copy.write_row(row)
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{rows.table}', 'id'), "
                            f"(SELECT coalesce(max(id), 1) FROM {rows.table}))")
        conn.commit()
    with psycopg.connect(target.database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _load_sqlite(target: Target, dataset: Dataset, columns: dict[str, list[str]]) -> None:
    conn = sqlite3.connect(target.database_url.removeprefix("sqlite:///"))
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=OFF")
    with conn:
        for rows in dataset.tables:
            names, data = _complete(rows, columns[rows.table])
            marks = ", ".join("?" for _ in names)
            conn.executemany(f"INSERT INTO {rows.table} ({', '.join(names)}) VALUES ({marks})",
                             (tuple(_sqlite_value(v) for v in row) for row in data))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def load(target: Target, dataset: Dataset) -> float:
    """Bulk-load `dataset` into the migrated target database; seconds taken."""
    started = time.perf_counter()
    engine = create_engine(database_uri(target.database_url, str(SCRATCH)))
    inspector = inspect(engine)
    columns = {t.table: [c["name"] for c in inspector.get_columns(t.table)] for t in dataset.tables}
    engine.dispose()
    if target.engine == "postgres":
        _load_postgres(target, dataset, columns)
    else:
        _load_sqlite(target, dataset, columns)
    return time.perf_counter() - started
