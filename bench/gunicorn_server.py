"""Start and stop gunicorn on 127.0.0.1, and read its workers' memory from /proc."""
from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bench.config import GUNICORN_ARGS, GUNICORN_WORKERS, HOST, ROOT, SCRATCH, VENV_BIN


@dataclass
class Server:
    """A running gunicorn master and where it listens."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://{HOST}:{self.port}"

    def worker_pids(self) -> list[int]:
        """The master's direct children (the workers)."""
        children: list[int] = []
        task_dir = f"/proc/{self.process.pid}/task"
        for task in os.listdir(task_dir):
            with open(f"{task_dir}/{task}/children") as handle:
                children.extend(int(pid) for pid in handle.read().split())
        return children

    def worker_memory_mb(self) -> list[dict[str, float]]:
        """Peak (VmHWM) and current (VmRSS) resident memory of each worker, in MB."""
        result = []
        for pid in self.worker_pids():
            fields = {}
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    key, _, value = line.partition(":")
                    if key in ("VmHWM", "VmRSS"):
                        fields[key] = int(value.split()[0]) / 1024
            result.append({"pid": pid, "peak_mb": round(fields["VmHWM"], 1), "rss_mb": round(fields["VmRSS"], 1)})
        return result


def _wait_until_up(url: str, process: subprocess.Popen[bytes], deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {SCRATCH}/gunicorn.log")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} in {deadline_s} s")


@contextmanager
def gunicorn(app: str, port: int, env: dict[str, str], probe_path: str) -> Iterator[Server]:
    """Run `gunicorn <app>` with the bench's fixed settings until the block ends."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    log = open(SCRATCH / "gunicorn.log", "ab")  # noqa: SIM115 - closed when the server stops
    command = [str(VENV_BIN / "gunicorn"), *GUNICORN_ARGS, "--bind", f"{HOST}:{port}", app]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        _wait_until_up(f"http://{HOST}:{port}{probe_path}", process)
        server = Server(process, port)
        deadline = time.monotonic() + 30
        while len(server.worker_pids()) < GUNICORN_WORKERS and time.monotonic() < deadline:
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
