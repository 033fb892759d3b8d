"""Plain helpers for tests, by topic; fixtures stay in the conftest files."""
