"""Change a clinic's booking rules from another connection at the last moment before a booking locks."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, update

from booking.extensions import db
from booking.models import Clinic

# The first write of a booking's transaction: SQLite's BEGIN IMMEDIATE (the lock), the
# clinic row update (the lock on PostgreSQL) or, for a new request, its insert.
FIRST_WRITES = ("BEGIN IMMEDIATE", "UPDATE clinic SET booking_counter", "INSERT INTO consultation_request")


@contextmanager
def rules_change_before_the_lock(clinic: Clinic, **values: Any) -> Iterator[list[str]]:
    """Commit `values` to the clinic (as an admin would) after the caller's checks, before its lock.

    Yields the statements the change ran before (one), so a test can tell it happened.
    """
    engine = db.engine
    fired: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if fired or not statement.startswith(FIRST_WRITES):
            return
        fired.append(statement)
        with engine.connect() as admin:
            admin.execute(update(Clinic).where(Clinic.id == clinic.id).values(**values))
            admin.commit()

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield fired
    finally:
        event.remove(engine, "before_cursor_execute", before)
