"""Which database the tests run on."""
from __future__ import annotations

import os

# A PostgreSQL URL runs the database tests there; unset, they run on a temporary SQLite file.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
