"""Generated rows for one table, as tuples under a column header."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class TableRows:
    """Rows for `table`, each a tuple in `columns` order; other columns take their defaults."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def add(self, *values: Any) -> None:
        """Append one row (values in `columns` order)."""
        assert len(values) == len(self.columns), (self.table, values)
        self.rows.append(values)
