"""The floor: a bare Flask app whose one view returns a small JSON document.

Served by the same gunicorn command line as the real app, it is the fastest any
Flask endpoint can be on this machine; every scenario is reported against it.
"""
from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/floor")
def floor() -> dict[str, object]:
    """A small JSON document, like a short API answer."""
    return {"status": "ok", "service": "floor", "slots": ["2026-11-23T08:00:00-06:00", "2026-11-23T08:30:00-06:00"]}
