"""deploy/gunicorn.conf.py: two workers, Prometheus' multiprocess files, one scrape that adds them up."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.smtp import free_port
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "gunicorn-test-token"


def _get(url: str, token: str | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)
    except OSError:
        return 0, "", {}


def _healthz_count(base: str) -> float:
    status, body, _ = _get(base + "/metrics", TOKEN)
    assert status == 200
    found = re.search(r'booking_http_requests_total\{endpoint="health.healthz",method="GET",status="200"\} (\S+)', body)
    assert found is not None
    return float(found.group(1))


def test_requests_on_every_worker_add_up_in_one_scrape(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"), "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": "2", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "FLASK_SECRET_KEY": "x",
           "FLASK_METRICS_TOKEN": TOKEN}
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_99999.db").write_bytes(b"stale")  # a previous start's file: removed
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        assert eventually(lambda: _get(base + "/healthz")[0] == 200, timeout=30), "gunicorn did not start"
        before = _healthz_count(base)
        for _ in range(30):
            assert _get(base + "/healthz")[0] == 200
        assert _get(base + "/metrics")[0] == 404  # never public
        assert _healthz_count(base) == before + 30
        pids = set(re.findall(r"_(\d+)\.db", " ".join(os.listdir(tmp_path / "metrics"))))
        assert "99999" not in pids
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
    # Its log: JSON lines from the app, no access log with paths.
    assert '"endpoint": "health.healthz"' in errors.decode() and "GET /healthz" not in errors.decode()
