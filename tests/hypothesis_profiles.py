"""Hypothesis profiles, chosen by HYPOTHESIS_PROFILE: `ci` (the default) and `thorough`.

- ci: enough examples to catch most regressions while the SQLite suite plus the
  PostgreSQL database suite stay within a few minutes on two cores. No example
  database (every run starts clean, as on CI); a failure prints the blob that
  replays it (@reproduce_failure).
- thorough: twenty times the examples, with the local example database in
  .hypothesis/ so a failure found once is tried first next time. `make test-thorough`.

Tests take their example counts from the profile; set max_examples on a test only
to give it fewer.
"""
from __future__ import annotations

import os

from hypothesis import settings

CI = "ci"
THOROUGH = "thorough"

settings.register_profile(CI, max_examples=100, deadline=None, print_blob=True, database=None)
settings.register_profile(THOROUGH, max_examples=2000, deadline=None, print_blob=True)


def load_profile() -> str:
    """Load the profile HYPOTHESIS_PROFILE names (`ci` if unset) and return its name."""
    name = os.environ.get("HYPOTHESIS_PROFILE") or CI
    settings.load_profile(name)
    return name
