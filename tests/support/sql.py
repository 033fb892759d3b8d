"""Counting the SQL statements a piece of code sends to the database."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_TABLE = re.compile(r'\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?', re.IGNORECASE)


class SqlLog:
    """The statements sent while recording, in order, each on one line."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def tables(self) -> set[str]:
        """Every table any recorded statement reads or writes."""
        return {name for statement in self.statements for name in _TABLE.findall(statement)}

    def touching(self, *tables: str) -> list[str]:
        """The recorded statements that read or write any of `tables`."""
        return [s for s in self.statements if set(_TABLE.findall(s)) & set(tables)]


@contextmanager
def recorded_sql(engine: Engine) -> Iterator[SqlLog]:
    """Record every statement `engine` sends (on any of its connections) inside the block."""
    log = SqlLog()

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        log.statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)
