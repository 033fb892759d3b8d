"""gunicorn settings for the web app (deploy/booking-web.service runs `gunicorn -c deploy/gunicorn.conf.py wsgi:app`).

Prometheus multiprocess mode: every worker writes its counters to files in
PROMETHEUS_MULTIPROC_DIR, /metrics adds them up. The directory is emptied at start
(stale files would count twice) and a dead worker's gauges are dropped.
"""
import os
import shutil

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
timeout = 30
graceful_timeout = 30
# The app writes one JSON line per request without the path (a patient's link is a
# secret, a search holds a name); gunicorn's access log would write the path: off.
accesslog = None
errorlog = "-"
# gunicorn itself trusts forwarded headers only from this host; the app's ProxyFix
# (PROXY_FIX_X_FOR / _X_PROTO, deploy/booking.env) reads nginx's X-Forwarded-For and -Proto.
forwarded_allow_ips = "127.0.0.1"
limit_request_line = 4094


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
